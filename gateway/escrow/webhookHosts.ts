import { BlockList, isIP } from "node:net";

/**
 * Where the gateway may send the bank's webhooks. The bank sets the URL itself
 * (`PUT /v1/bank/webhook`), so without a rule the gateway would post to any host
 * and port it is asked to, its own loopback and the operator's private network
 * included, and the delivery log would tell whether a port answers.
 *
 * - With `WEBHOOK_ALLOWED_HOSTS` set (comma-separated `host`, `host:port`,
 *   `*.domain` or `*.domain:port`; IPv6 in brackets), only hosts it names are
 *   accepted: deny by default.
 * - Unset, any host is accepted except loopback, private, link-local, shared and
 *   unspecified addresses and `localhost`, written as such in the URL.
 *
 * @example
 * webhookHostRefusal(new URL("http://127.0.0.1:8090/webhooks"), undefined); // "… loopback or private …"
 * webhookHostRefusal(new URL("http://127.0.0.1:8090/webhooks"), ["127.0.0.1:8090"]); // undefined: allowed
 */
export function webhookHostRefusal(url: URL, allowedHosts: readonly string[] | undefined): string | undefined {
  if (url.protocol !== "http:" && url.protocol !== "https:") return "a webhook URL is http:// or https://";
  if (url.username || url.password) return "a webhook URL carries no user name or password";
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  if (allowedHosts && allowedHosts.length > 0) {
    if (allowedHosts.some((entry) => matches(entry, host, port))) return undefined;
    return `the host ${url.host} is not among the webhook hosts the operator allows (WEBHOOK_ALLOWED_HOSTS)`;
  }
  if (isInternal(host))
    return `the host ${url.host} is a loopback or private address; the operator allows such hosts with WEBHOOK_ALLOWED_HOSTS`;
  return undefined;
}

/**
 * `WEBHOOK_ALLOWED_HOSTS` as a list; undefined when unset or empty. Throws on an
 * entry that is not a host, so a typo stops the start instead of refusing the bank.
 */
export function parseAllowedHosts(text: string | undefined): string[] | undefined {
  const entries = (text ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(entry))
      throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${entry}" is not a host, host:port or *.domain`);
  }
  return entries.length ? entries : undefined;
}

function matches(entry: string, host: string, port: string): boolean {
  const portMatch = /^(.*?)(?::(\d{1,5}))?$/.exec(entry)!;
  const [, name, entryPort] = portMatch;
  if (entryPort !== undefined && entryPort !== port) return false;
  if (name.startsWith("*.")) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
  return host === name;
}

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const)
  INTERNAL.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const)
  INTERNAL.addSubnet(network, prefix, "ipv6");

/** Loopback, private, link-local, shared or unspecified: by name, or by address (IPv4-mapped IPv6 included). */
function isInternal(host: string): boolean {
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const address = host.replace(/^\[|\]$/g, "");
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(?:([0-9.]+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(address);
    if (mapped) {
      const v4 = mapped[1] ?? hexToIpv4(mapped[2], mapped[3]);
      return INTERNAL.check(v4, "ipv4");
    }
    return INTERNAL.check(address, "ipv6");
  }
  return false;
}

const hexToIpv4 = (high: string, low: string) => {
  const a = parseInt(high, 16);
  const b = parseInt(low, 16);
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
};
