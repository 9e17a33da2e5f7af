import { describe, expect, it } from "vitest";
import { gatewayUrl } from "../../../scripts/lib/gatewayUrl";

describe("how scripts find the running gateway", () => {
  it("defaults to 127.0.0.1 on PORT, and PORT to 8080, as npm start listens", () => {
    expect(gatewayUrl({})).toBe("http://127.0.0.1:8080");
    expect(gatewayUrl({ PORT: "9000" })).toBe("http://127.0.0.1:9000");
  });

  it("takes GATEWAY_URL over PORT, without a trailing slash", () => {
    expect(gatewayUrl({ GATEWAY_URL: "https://ledger.example.cn/", PORT: "9000" })).toBe("https://ledger.example.cn");
  });

  it("refuses what is not a URL or a port, naming the setting", () => {
    expect(() => gatewayUrl({ GATEWAY_URL: "ledger.example.cn" })).toThrow(/GATEWAY_URL/);
    expect(() => gatewayUrl({ GATEWAY_URL: "ftp://ledger.example.cn" })).toThrow(/GATEWAY_URL/);
    expect(() => gatewayUrl({ PORT: "80a" })).toThrow(/PORT/);
    expect(() => gatewayUrl({ PORT: "70000" })).toThrow(/PORT/);
  });
});
