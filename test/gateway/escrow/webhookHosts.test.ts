import { describe, expect, it } from "vitest";
import { parseAllowedHosts, webhookHostRefusal } from "../../../gateway/escrow/webhookHosts";

const refusal = (url: string, allowed?: string[]) => webhookHostRefusal(new URL(url), allowed);

describe("webhook hosts", () => {
  it.each([
    "http://127.0.0.1:8090/webhooks",
    "http://127.8.9.10/",
    "http://localhost:22/",
    "http://bank.localhost/",
    "http://10.0.0.5/",
    "http://172.20.1.1:6379/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0:8545/",
    "http://[::1]:8545/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/", // 127.0.0.1 written as one number
    "http://0x7f000001/",
  ])("refuses %s by default (loopback, private, link-local)", (url) => {
    expect(refusal(url)).toMatch(/loopback or private.*WEBHOOK_ALLOWED_HOSTS/);
  });

  it.each(["https://bank.example.cn/hooks", "http://203.0.113.7:8443/", "https://[2001:db8::1]/"])(
    "accepts the outside host %s by default",
    (url) => {
      expect(refusal(url)).toBeUndefined();
    },
  );

  it("refuses credentials in the URL and other schemes", () => {
    expect(refusal("https://user:pw@bank.example.cn/")).toMatch(/no user name/);
    expect(refusal("ftp://bank.example.cn/")).toMatch(/http/);
  });

  it("accepts only the listed hosts once the operator lists some, loopback included when listed", () => {
    const allowed = parseAllowedHosts(" 127.0.0.1:8090, *.bank.example.cn ,hooks.example.org")!;
    expect(allowed).toEqual(["127.0.0.1:8090", "*.bank.example.cn", "hooks.example.org"]);
    expect(refusal("http://127.0.0.1:8090/webhooks", allowed)).toBeUndefined();
    expect(refusal("http://127.0.0.1:8545/", allowed)).toMatch(/not among the webhook hosts/);
    expect(refusal("https://api.bank.example.cn/h", allowed)).toBeUndefined();
    expect(refusal("https://bank.example.cn/h", allowed)).toMatch(/not among/);
    expect(refusal("https://evilbank.example.cn/h", allowed)).toMatch(/not among/);
    expect(refusal("https://hooks.example.org:9000/h", allowed)).toBeUndefined();
    expect(refusal("https://bank.example.com/h", allowed)).toMatch(/not among/);
    expect(refusal("http://[::1]/", parseAllowedHosts("[::1]"))).toBeUndefined();
  });

  it("reads an unset or empty setting as no list, and stops on an entry that is not a host", () => {
    expect(parseAllowedHosts(undefined)).toBeUndefined();
    expect(parseAllowedHosts(" , ")).toBeUndefined();
    expect(() => parseAllowedHosts("http://bank.example.cn")).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => parseAllowedHosts("bank example")).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });
});
