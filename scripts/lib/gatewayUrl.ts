/**
 * Where a script finds the running gateway, the same way for every script that
 * talks to one (`demo:*`, `bank`): `GATEWAY_URL` when set, otherwise
 * `http://127.0.0.1:$PORT`, with `PORT` defaulting to 8080 as for `npm start`.
 * A trailing slash is dropped so that `${gatewayUrl()}/v1/…` is always one URL.
 *
 * @example
 * // PORT=9000 npm run demo:escrow   → http://127.0.0.1:9000
 * const client = createGatewayClient({ baseUrl: gatewayUrl() });
 */
export function gatewayUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.GATEWAY_URL?.trim();
  if (explicit) {
    let url: URL;
    try {
      url = new URL(explicit);
    } catch {
      throw new Error(`GATEWAY_URL is not a URL: ${explicit}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new Error(`GATEWAY_URL must be http:// or https://, not ${url.protocol}`);
    return explicit.replace(/\/+$/, "");
  }
  const port = env.PORT?.trim() || "8080";
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535)
    throw new Error(`PORT must be a port number (1–65535), not ${port}`);
  return `http://127.0.0.1:${Number(port)}`;
}
