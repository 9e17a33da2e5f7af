import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";

/** Headers of a signed request, in the style of the Standard Webhooks headers. */
export const SIGNED_REQUEST_HEADERS = {
  keyId: "ttl-key-id",
  requestId: "ttl-request-id",
  timestamp: "ttl-timestamp",
  signature: "ttl-signature",
} as const;

export interface SignRequestParameters {
  keyId: string;
  /** The signing key's secret (base64url), as the gateway issued it. */
  secret: string;
  method: string;
  /** Path and query, as sent: `/v1/evidence`. */
  path: string;
  /** The exact body bytes sent ("" for none). */
  body: string;
  /** Unique per request; a random one when omitted. */
  requestId?: string;
  /** Seconds since the epoch; now when omitted. */
  timestamp?: number;
}

/**
 * The content a request's signature covers: `requestId.timestamp.METHOD path.body`.
 * Method and path are in it so a signature cannot be moved to another route.
 */
export function signedContent(p: {
  requestId: string;
  timestamp: number;
  method: string;
  path: string;
  body: string;
}): string {
  return `${p.requestId}.${p.timestamp}.${p.method.toUpperCase()} ${p.path}.${p.body}`;
}

/** base64 of bytes without Node's Buffer (the SDK runs in browsers too). */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The headers that sign a request with a service's signing key: HMAC-SHA256 over
 * `requestId.timestamp.METHOD path.body`, sent as `ttl-signature: v1,<base64>`.
 * The gateway refuses a request outside a five-minute window or with a request id
 * it has seen.
 *
 * @example
 * const headers = signRequest({ keyId, secret, method: "POST", path: "/v1/evidence", body });
 * await fetch(url, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
 */
export function signRequest(p: SignRequestParameters): Record<string, string> {
  const requestId =
    p.requestId ?? `req_${Array.from(randomBytes(12), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  const timestamp = p.timestamp ?? Math.floor(Date.now() / 1000);
  const mac = hmac(sha256, fromBase64url(p.secret), utf8ToBytes(signedContent({ ...p, requestId, timestamp })));
  return {
    [SIGNED_REQUEST_HEADERS.keyId]: p.keyId,
    [SIGNED_REQUEST_HEADERS.requestId]: requestId,
    [SIGNED_REQUEST_HEADERS.timestamp]: String(timestamp),
    [SIGNED_REQUEST_HEADERS.signature]: `v1,${base64(mac)}`,
  };
}
