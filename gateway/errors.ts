import { LedgerError, type ErrorDetail } from "tech-transfer-ledger/sdk";

/**
 * An error a client caused or should know about: it carries the HTTP status and
 * a stable code, and its message is written for the person reading the response.
 * Anything else reaching the error boundary is a bug and answers 500.
 */
export class GatewayError extends LedgerError<readonly ErrorDetail[]> {
  override name = "GatewayError";
  constructor(
    readonly status: number,
    code: string,
    message: string,
    /** `details`: every problem of the request, answered as `error.details`. */
    options: { details?: readonly ErrorDetail[]; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(code, message, options);
    this.headers = options.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

export const badRequest = (code: string, message: string, details?: readonly ErrorDetail[]) =>
  new GatewayError(400, code, message, { details });
/** The bearer challenge a 401 answers with, so a client knows which credential to send. */
export const BEARER_CHALLENGE = { "WWW-Authenticate": 'Bearer realm="tech-transfer-ledger"' };

export const unauthorized = (code: string, message: string, headers?: Record<string, string>) =>
  new GatewayError(401, code, message, { headers });
export const forbidden = (code: string, message: string) => new GatewayError(403, code, message);
export const notFound = (code: string, message: string) => new GatewayError(404, code, message);
export const conflict = (code: string, message: string, headers?: Record<string, string>) =>
  new GatewayError(409, code, message, { headers });
export const unprocessable = (code: string, message: string) => new GatewayError(422, code, message);
export const tooLarge = (code: string, message: string) => new GatewayError(413, code, message);
export const unavailable = (code: string, message: string) =>
  new GatewayError(503, code, message, { headers: { "Retry-After": "1" } });
