import { randomUUID } from "node:crypto";
import { signRequest, type HttpMethod, type RequestOptions } from "../../sdk";

export interface BankCredentials {
  keyId: string;
  secret: string;
}

/** An answer from the gateway that was not 2xx, with its stable code. */
export class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/**
 * The bank system's HTTP client for the gateway: every request signed with the
 * bank's signing key, every write with an Idempotency-Key, and a write retried
 * with the same key when the network or the gateway fails, so a retry can never
 * report the same money twice. The SDK's bank actions take it as their client
 * (`reportDeposit(api, { … })`).
 */
export class BankGatewayApi {
  constructor(
    private readonly base: string,
    private readonly credentials: BankCredentials,
  ) {}

  async request<T>(method: HttpMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const key = method === "GET" ? undefined : (options.idempotencyKey ?? randomUUID());
    for (let attempt = 1; ; attempt++) {
      // A new request id and timestamp per attempt (the gateway refuses replays); the same Idempotency-Key.
      const headers: Record<string, string> = {
        ...signRequest({ ...this.credentials, method, path, body: text }),
        ...(text ? { "content-type": "application/json" } : {}),
        ...(key ? { "idempotency-key": key } : {}),
      };
      let response: Response;
      try {
        response = await fetch(`${this.base}${path}`, { method, headers, body: text || undefined });
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        continue;
      }
      const answer = await response.text();
      // JSON answers parsed; others (the reconciliation's CSV) as text.
      const isJson = response.headers.get("content-type")?.includes("json") ?? false;
      const json = isJson && answer ? JSON.parse(answer) : undefined;
      if (response.ok) return (isJson ? json : answer) as T;
      // The first attempt still in flight, or the gateway (or its chain) away for a moment: the same key again.
      const retryable = json?.error?.code === "IDEMPOTENCY_IN_FLIGHT" || response.status >= 500;
      if (retryable && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        continue;
      }
      throw new GatewayRefusal(response.status, json?.error?.code ?? "UNKNOWN", json?.error?.message ?? answer);
    }
  }
}
