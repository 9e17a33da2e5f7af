/**
 * The one error base of the SDK: a short message for people, details for
 * developers, the cause when there is one, and a stable `code` that programs
 * (and the gateway's error responses) can switch on.
 *
 * @example
 * try { assertBytes32(x, "root") } catch (e) { if (e instanceof InvalidArgumentError) console.log(e.code) }
 */
export class LedgerError<Details = string> extends Error {
  override name = "LedgerError";
  readonly code: string;
  readonly shortMessage: string;
  /** More for developers: a sentence, or (on {@link GatewayRequestError}) every problem of a request. */
  readonly details?: Details;

  constructor(code: string, shortMessage: string, options: { details?: Details; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${describeDetails(options.details)}` : shortMessage, {
      cause: options.cause,
    });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/**
 * One problem of a refused request, as the gateway lists them in `error.details`:
 * where (`body.price`, `query.limit`), a stable code, and a message for people.
 *
 * @example
 * const problem: ErrorDetail = { path: "body.price", code: "TOO_SMALL", message: "Too small: expected number to be >0" };
 */
export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
}

function describeDetails(details: unknown): string {
  if (Array.isArray(details))
    return details.map((d: Partial<ErrorDetail>) => `${d.path ?? ""}: ${d.message ?? d.code ?? ""}`).join("; ");
  return String(details);
}

/** An argument had the wrong shape; `code` is `INVALID_ARGUMENT`. */
export class InvalidArgumentError extends LedgerError {
  override name = "InvalidArgumentError";
  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super("INVALID_ARGUMENT", shortMessage, options);
  }
}
