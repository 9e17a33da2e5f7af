import { describe, expect, it } from "vitest";
import { readConfig } from "../../../gateway/config";
import { chainEndpoint } from "../../../scripts/lib/chainEndpoint";

describe("chainEndpoint", () => {
  it("takes CHAIN_RPC_URL when it is set, as the gateway does", () => {
    expect(chainEndpoint(readConfig({ CHAIN_RPC_URL: "http://10.0.0.1:8545", CHAIN_PORT: "9999" }))).toEqual({
      rpcUrl: "http://10.0.0.1:8545",
      source: "CHAIN_RPC_URL",
      local: false,
    });
  });

  it("otherwise names the local chain on CHAIN_PORT", () => {
    expect(chainEndpoint(readConfig({ CHAIN_PORT: "28545" }))).toEqual({
      rpcUrl: "http://127.0.0.1:28545",
      source: "CHAIN_PORT",
      local: true,
    });
  });

  it("defaults to the local chain on port 8545", () => {
    expect(chainEndpoint(readConfig({})).rpcUrl).toBe("http://127.0.0.1:8545");
  });
});
