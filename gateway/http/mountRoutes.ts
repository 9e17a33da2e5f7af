import type Router from "@koa/router";
import type { Context } from "koa";
import type { Authenticator } from "../auth/authenticator";
import { describeAccess, type Principal } from "../auth/roles";
import { GatewayError } from "../errors";
import { readJsonBody } from "./body";
import { parseInput, type Route } from "./route";

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Who is calling. A request without credentials is anonymous; a request with a
 * bad one is refused outright (401), even on a public route, so that a client
 * with a broken token finds out at once.
 */
async function identify(ctx: Context, authenticator: Authenticator): Promise<Principal | undefined> {
  const header = ctx.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new GatewayError(401, "INVALID_CREDENTIAL", "send the credential as Authorization: Bearer <token>", {
      headers: { "WWW-Authenticate": 'Bearer realm="tech-transfer-ledger"' },
    });
  }
  return authenticator.authenticate(match[1]);
}

/** Refuses the caller unless the route's access admits it. */
function authorize(route: Route, principal: Principal | undefined, params: Record<string, string>): void {
  const access = route.access;
  if ("public" in access) return;
  if (!principal) {
    throw new GatewayError(401, "AUTHENTICATION_REQUIRED", "this route needs a credential (Authorization: Bearer …)", {
      headers: { "WWW-Authenticate": 'Bearer realm="tech-transfer-ledger"' },
    });
  }
  if (access.roles.some((role) => principal.roles.includes(role))) return;
  if (principal.kind === "user" && access.anyUser) return;
  if (principal.kind === "user" && access.owner && access.owner(params) === principal.id) return;
  throw new GatewayError(403, "FORBIDDEN", `this route is for: ${describeAccess(access).join(", ")}`);
}

/** Registers every route on `router` behind identification, authorization and input validation. */
export function mountRoutes(router: Router, routes: readonly Route[], authenticator: Authenticator): void {
  for (const route of routes) {
    const method = route.method.toLowerCase() as "get" | "post" | "put" | "delete";
    router[method](route.path, async (ctx) => {
      const principal = await identify(ctx, authenticator);
      authorize(route, principal, ctx.params as Record<string, string>);
      const params = route.params ? parseInput(route.params, ctx.params, "path") : undefined;
      const query = route.query ? parseInput(route.query, ctx.query, "query") : undefined;
      const body = route.body
        ? parseInput(route.body, await readJsonBody(ctx, route.bodyLimit ?? DEFAULT_BODY_LIMIT), "body")
        : undefined;
      const output = await route.handler({ params, query, body, principal, ctx });
      ctx.status = output.status;
      if (output.headers) ctx.set(output.headers);
      if (output.type) ctx.type = output.type;
      ctx.body = output.body;
    });
  }
}
