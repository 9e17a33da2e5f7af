import type { Middleware } from "koa";
import { GatewayError } from "../errors";

/**
 * Failures to reach the chain, as Node and ethers report them. The chain is the
 * only network service a request waits on (reading the escrow), so these mean it
 * is away: the client is told so and may retry, and nothing was changed.
 */
const CHAIN_AWAY = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "TIMEOUT",
  "NETWORK_ERROR",
  "SERVER_ERROR",
]);

/**
 * The one place errors become responses: a known error answers its status and
 * `{ error: { code, message, details? } }` (`details`: every problem of a refused
 * request's input, `[{ path, code, message }]`); a chain that does not answer is a 503 with
 * Retry-After; anything else is a bug, answers 500 with no detail, and goes to
 * `app.on("error")` to be logged.
 */
export function errorBoundary(): Middleware {
  return async function errorBoundary(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (error instanceof GatewayError) {
        ctx.status = error.status;
        ctx.set(error.headers);
        ctx.body = {
          error: {
            code: error.code,
            message: error.shortMessage,
            ...(error.details?.length ? { details: error.details } : {}),
          },
        };
        return;
      }
      const status = (error as { status?: number; expose?: boolean }).status;
      if (typeof status === "number" && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: { code: `HTTP_${status}`, message: (error as Error).message } };
        return;
      }
      if (CHAIN_AWAY.has(String((error as { code?: unknown }).code))) {
        ctx.status = 503;
        ctx.set("Retry-After", "5");
        ctx.body = {
          error: {
            code: "CHAIN_UNAVAILABLE",
            message: "the chain does not answer; nothing was changed, try again shortly",
          },
        };
        return;
      }
      ctx.status = 500;
      ctx.body = { error: { code: "INTERNAL", message: "an internal error occurred; it has been logged" } };
      ctx.app.emit("error", error, ctx);
    }
  };
}

/**
 * Whether `error` only says that the client went away while its answer was being
 * sent: a browser leaving `/v1/inbox/stream` (whose answer never ends by itself),
 * or a connection dropped mid-download. That is normal, not an internal error.
 */
export function isClientDisconnect(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ECONNRESET" || code === "EPIPE";
}
