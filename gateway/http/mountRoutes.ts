import type Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { ErrorDetail } from "tech-transfer-ledger/sdk";
import type { Authenticator } from "../auth/authenticator";
import { SignedRequestVerifier } from "../auth/signedRequests";
import type { IdempotentWrites } from "./idempotency";
import { describeAccess, type Principal } from "../auth/roles";
import { badRequest, forbidden, BEARER_CHALLENGE, unauthorized } from "../errors";
import { readJsonBody, readRawBody } from "./body";
import { ReceiptCollector, collectReceiptsWhile } from "../evidence/receipts";
import { inputProblems, invalidRequest, type Route, type RouteOutput } from "./route";
import type { HeldScope } from "../store/groupCommit";

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Who is calling. A request without credentials is anonymous; a request with a
 * bad one is refused outright (401), even on a public route, so that a client
 * with a broken token finds out at once.
 */
async function identify(ctx: Context, auth: RouteAuth, bodyLimit: number): Promise<Principal | undefined> {
  const header = (name: string) => ctx.get(name);
  if (SignedRequestVerifier.isSigned(header)) {
    const body = ctx.method === "GET" || ctx.method === "DELETE" ? "" : await readRawBody(ctx, bodyLimit);
    return auth.signed.verify({ header, method: ctx.method, path: ctx.originalUrl, body });
  }
  const authorization = ctx.get("authorization");
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) {
    throw unauthorized("INVALID_CREDENTIAL", "send the credential as Authorization: Bearer <token>", BEARER_CHALLENGE);
  }
  return auth.bearer.authenticate(match[1]);
}

/** How callers prove who they are: bearer tokens (people, services) or signed requests (the bank). */
export interface RouteAuth {
  bearer: Authenticator;
  signed: SignedRequestVerifier;
  idempotency: IdempotentWrites;
}

/** Refuses the caller unless the route's access admits it. */
function authorize(route: Route, principal: Principal | undefined, params: Record<string, string>): void {
  const access = route.access;
  if ("public" in access) return;
  if (!principal) {
    throw unauthorized(
      "AUTHENTICATION_REQUIRED",
      "this route needs a credential (Authorization: Bearer …)",
      BEARER_CHALLENGE,
    );
  }
  if (access.roles.some((role) => principal.roles.includes(role))) return;
  if (principal.kind === "user" && access.anyUser) return;
  if (principal.kind === "user" && access.owner && access.owner(params) === principal.id) return;
  throw forbidden("FORBIDDEN", `this route is for: ${describeAccess(access).join(", ")}`);
}

/**
 * The route's path parameters, query and body, validated together so that a
 * request with several problems hears of all of them in one 400.
 */
async function validateInput(route: Route, ctx: Context, bodyLimit: number) {
  const problems: ErrorDetail[] = [];
  const check = (schema: Route["params"], value: unknown, where: string) => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(...inputProblems(result.error, where));
    return undefined;
  };
  const params = check(route.params, ctx.params, "path");
  const query = check(route.query, ctx.query, "query");
  const body = route.body ? check(route.body, await readJsonBody(ctx, bodyLimit), "body") : undefined;
  if (problems.length) throw invalidRequest(problems);
  return { params, query, body };
}

/**
 * Registers every route on `router` behind identification, authorization and
 * input validation, and returns a middleware to run ahead of the router that
 * answers the routes without parameters from a table (one lookup, where the
 * router tries its some 200 patterns in turn: about a fourteenth of intake's
 * request thread, docs/BENCHMARKS.md). A path goes in the table only where the
 * router would pick the same route for it; anything else falls through to it.
 */
export function mountRoutes(router: Router, routes: readonly Route[], auth: RouteAuth): Middleware {
  const exact = new Map<string, (ctx: Context) => Promise<void>>();
  for (const route of routes) {
    const method = route.method.toLowerCase() as "get" | "post" | "put" | "delete";
    const serve = async (ctx: Context) => {
      const receipts = new ReceiptCollector();
      const output = route.explicitScope
        ? await handleRoute(route, ctx, auth, receipts)
        : await collectReceiptsWhile(receipts, () => handleRoute(route, ctx, auth, receipts));
      ctx.status = output.status;
      ctx.set({ ...output.headers, ...(output.status < 400 ? await receipts.headers() : {}) });
      if (output.type) ctx.type = output.type;
      ctx.body = output.body;
    };
    router[method](route.path, serve);
    if (!/[:*(]/.test(route.path)) exact.set(`${route.method.toUpperCase()} ${route.path}`, serve);
  }
  for (const [key, serve] of exact) {
    const [method, path] = key.split(" ");
    const first = router.match(path, method).pathAndMethod[0];
    if (first?.stack.at(-1) !== serve) exact.delete(key);
  }
  return async function exactRoutes(ctx, next) {
    const serve = exact.get(`${ctx.method} ${ctx.path}`);
    if (!serve) return next();
    ctx.params = {};
    await serve(ctx);
  };
}

/** Identifies and authorizes the caller, validates the input, and runs the handler (idempotently where asked). */
async function handleRoute(
  route: Route,
  ctx: Context,
  auth: RouteAuth,
  receipts: ReceiptCollector,
): Promise<RouteOutput> {
  const bodyLimit = route.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const ticket = route.ticket && typeof ctx.query.ticket === "string" ? ctx.query.ticket : undefined;
  const principal = (await identify(ctx, auth, bodyLimit)) ?? (ticket ? route.ticket!(ticket) : undefined);
  authorize(route, principal, ctx.params as Record<string, string>);
  const { params, query, body } = await validateInput(route, ctx, bodyLimit);
  const handle = async (held?: HeldScope) => route.handler({ params, query, body, principal, ctx, receipts, held });
  const idempotencyKey = ctx.get("idempotency-key");
  if (route.idempotent && !idempotencyKey && SignedRequestVerifier.isSigned((name) => ctx.get(name))) {
    throw badRequest("IDEMPOTENCY_KEY_REQUIRED", "signed writes carry an Idempotency-Key header");
  }
  const output = await (route.idempotent && idempotencyKey
    ? auth.idempotency.run(
        principal,
        idempotencyKey,
        { method: ctx.method, path: ctx.originalUrl },
        (ctx.state.rawBody as string | undefined) ?? "",
        handle,
        { commitWithAnswer: route.commitWithAnswer, explicitScope: route.explicitScope },
      )
    : handle());
  return route.completeAnswer && output.status < 400 ? route.completeAnswer(output, receipts) : output;
}
