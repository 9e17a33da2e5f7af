/**
 * The one error base of the SDK: a short message for people, details for
 * developers, the cause when there is one, and a stable `code` that programs
 * (and the gateway's error responses) can switch on.
 *
 * @example
 * try { assertBytes32(x, "root") } catch (e) { if (e instanceof InvalidArgumentError) console.log(e.code) }
 */
export class LedgerError extends Error {
  override name = "LedgerError";
  readonly code: string;
  readonly shortMessage: string;
  readonly details?: string;

  constructor(code: string, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/** An argument had the wrong shape; `code` is `INVALID_ARGUMENT`. */
export class InvalidArgumentError extends LedgerError {
  override name = "InvalidArgumentError";
  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super("INVALID_ARGUMENT", shortMessage, options);
  }
}
