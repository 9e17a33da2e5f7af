import { LedgerError, type ErrorDetail } from "../errors";

/**
 * The gateway answered with a status other than 2xx. `status` is the HTTP
 * status; `code` is the gateway's stable error code (`REASON_REQUIRED`,
 * `SESSION_STALE`, `FORBIDDEN`, …), or `HTTP_<status>` when the answer carried
 * none; `shortMessage` is the gateway's message; `details` lists every problem
 * of a refused request (`{ path, code, message }`), as the gateway's `error.details`.
 *
 * @example
 * try {
 *   await client.getUser({ userId });
 * } catch (error) {
 *   if (error instanceof GatewayRequestError && error.status === 403) console.log("not yours:", error.code);
 *   if (error instanceof GatewayRequestError) for (const d of error.details) console.log(d.path, d.code, d.message);
 * }
 */
export class GatewayRequestError extends LedgerError<readonly ErrorDetail[]> {
  override name = "GatewayRequestError";
  /** The HTTP status. */
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** Seconds the gateway asked to wait before retrying (its `Retry-After`), when it said. */
  readonly retryAfterSeconds?: number;
  /**
   * Every problem the gateway found in the request (its `error.details`), so a
   * form can mark all its wrong fields at once; empty when it listed none.
   */
  declare readonly details: readonly ErrorDetail[];

  constructor(
    parameters: {
      status: number;
      code: string;
      message: string;
      method: string;
      path: string;
      retryAfterSeconds?: number;
      details?: readonly ErrorDetail[];
    },
    options: { cause?: unknown } = {},
  ) {
    const details = parameters.details ?? [];
    super(parameters.code, parameters.message, { details, cause: options.cause });
    this.message = [
      parameters.message,
      "",
      `${parameters.method} ${parameters.path} answered ${parameters.status} ${parameters.code}`,
      ...details.map((detail) => `- ${detail.path}: ${detail.message} (${detail.code})`),
    ].join("\n");
    this.status = parameters.status;
    this.method = parameters.method;
    this.path = parameters.path;
    this.retryAfterSeconds = parameters.retryAfterSeconds;
  }
}

/**
 * The gateway could not be reached (connection refused, DNS, TLS, aborted):
 * there is no HTTP answer. `code` is `GATEWAY_UNREACHABLE`; `cause` is the
 * error `fetch` threw.
 *
 * @example
 * try {
 *   await client.getHealth();
 * } catch (error) {
 *   if (error instanceof GatewayUnreachableError) console.log("is the gateway running?", error.cause);
 * }
 */
export class GatewayUnreachableError extends LedgerError {
  override name = "GatewayUnreachableError";
  constructor(method: string, url: string, cause: unknown) {
    super("GATEWAY_UNREACHABLE", `could not reach the gateway for ${method} ${url}`, {
      details: (cause as Error)?.message,
      cause,
    });
  }
}

/**
 * The gateway gave a sign-in challenge that is not for the signer's address,
 * so the SDK refused to have it signed. `code` is `CHALLENGE_MISMATCH`.
 *
 * @example
 * try {
 *   await client.signIn({ signer });
 * } catch (error) {
 *   if (error instanceof ChallengeMismatchError) console.log("do not trust this gateway");
 * }
 */
export class ChallengeMismatchError extends LedgerError {
  override name = "ChallengeMismatchError";
  constructor(address: string, message: string) {
    super("CHALLENGE_MISMATCH", `the gateway's sign-in challenge is not for ${address}; it was not signed`, {
      details: message.split("\n").slice(0, 2).join(" / ").slice(0, 200),
    });
  }
}

/**
 * A record was not anchored within the time waited for it. It stays recorded
 * and will be anchored when the chain allows; `code` is `ANCHOR_TIMEOUT`.
 *
 * @example
 * try {
 *   await receipt.wait({ timeoutMs: 10_000 });
 * } catch (error) {
 *   if (error instanceof AnchorTimeoutError) console.log("still pending; check /health");
 * }
 */
export class AnchorTimeoutError extends LedgerError {
  override name = "AnchorTimeoutError";
  readonly recordId: string;
  constructor(recordId: string, timeoutMs: number) {
    super("ANCHOR_TIMEOUT", `record ${recordId} was not anchored within ${timeoutMs} ms`);
    this.recordId = recordId;
  }
}
