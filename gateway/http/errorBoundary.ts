import type { Middleware } from "koa";
import { GatewayError } from "../errors";

/**
 * The one place errors become responses: a known error answers its status and
 * `{ error: { code, message } }`; anything else is a bug, answers 500 with no
 * detail, and goes to `app.on("error")` to be logged.
 */
export function errorBoundary(): Middleware {
  return async function errorBoundary(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (error instanceof GatewayError) {
        ctx.status = error.status;
        ctx.set(error.headers);
        ctx.body = { error: { code: error.code, message: error.shortMessage } };
        return;
      }
      const status = (error as { status?: number; expose?: boolean }).status;
      if (typeof status === "number" && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: { code: `HTTP_${status}`, message: (error as Error).message } };
        return;
      }
      ctx.status = 500;
      ctx.body = { error: { code: "INTERNAL", message: "an internal error occurred; it has been logged" } };
      ctx.app.emit("error", error, ctx);
    }
  };
}
