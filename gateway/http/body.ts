import type { Context } from "koa";
import { badRequest, GatewayError, tooLarge } from "../errors";

/**
 * Reads and parses a JSON request body of at most `limit` bytes. Refuses a body
 * that is not declared as JSON (415), is too large (413) or does not parse (400),
 * before any of it reaches a service.
 */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  if (!ctx.is("application/json")) {
    throw new GatewayError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  const text = (ctx.state.rawBody as string | undefined) ?? (await readRawBody(ctx, limit));
  if (text.trim() === "") throw badRequest("EMPTY_BODY", "the request needs a JSON body");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest("MALFORMED_JSON", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The body as text, at most `limit` bytes (413 beyond). Read once: a signed
 * request's body is read before authentication, to check its signature.
 */
export async function readRawBody(ctx: Context, limit: number): Promise<string> {
  if (typeof ctx.state.rawBody === "string") return ctx.state.rawBody;
  const declared = Number(ctx.get("content-length") || NaN);
  if (declared > limit) throw tooLarge("BODY_TOO_LARGE", `the body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.req.destroy();
      throw tooLarge("BODY_TOO_LARGE", `the body is over the limit of ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  ctx.state.rawBody = Buffer.concat(chunks).toString("utf8");
  return ctx.state.rawBody as string;
}
