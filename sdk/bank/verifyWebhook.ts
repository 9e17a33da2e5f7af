import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/** A webhook whose signature and time were checked. */
export interface VerifiedWebhook {
  id: string;
  sequence: number;
  type: string;
  data: Record<string, unknown>;
}

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/**
 * Checks a webhook from the gateway as Standard Webhooks does: `webhook-signature`
 * holds `v1,<base64 HMAC-SHA256>` of `id.timestamp.body` under the endpoint's
 * secret (`whsec_…`), and `webhook-timestamp` is within `toleranceSeconds` of
 * now. Throws with the reason when either fails; returns the parsed message.
 *
 * @example
 * const message = verifyWebhook(secret, (name) => req.headers[name], rawBody);
 */
export function verifyWebhook(
  secret: string,
  header: (name: string) => string | string[] | undefined,
  body: string,
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): VerifiedWebhook {
  const id = String(header("webhook-id") ?? "");
  const timestamp = Number(header("webhook-timestamp"));
  const signatures = String(header("webhook-signature") ?? "").split(" ");
  if (!id || !Number.isInteger(timestamp)) throw new Error("webhook-id and webhook-timestamp are required");
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds)
    throw new Error("the webhook's timestamp is too old or too new");
  const key = fromBase64(secret.replace(/^whsec_/, ""));
  const expected = hmac(sha256, key, utf8ToBytes(`${id}.${timestamp}.${body}`));
  const matches = signatures.some((entry) => {
    const [version, value] = entry.split(",");
    if (version !== "v1" || !value) return false;
    const given = fromBase64(value);
    if (given.length !== expected.length) return false;
    let difference = 0;
    for (let i = 0; i < given.length; i++) difference |= given[i] ^ expected[i];
    return difference === 0;
  });
  if (!matches) throw new Error("the webhook's signature does not match");
  const message = JSON.parse(body) as VerifiedWebhook;
  if (message.id !== id) throw new Error("the webhook's body names another id than its header");
  return message;
}
