import type Router from "@koa/router";
import type { Context } from "koa";
import type { CredentialService } from "../auth/credentials";
import type { Principal } from "../auth/roles";
import { GatewayError } from "../errors";
import { readJsonBody } from "./body";
import { parseInput, type Route } from "./route";

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Who is calling. A request without credentials is anonymous; a request with a
 * bad one is refused outright (401), even on a public route, so that a client
 * with a broken token finds out at once.
 */
async function identify(ctx: Context, credentials: CredentialService): Promise<Principal | undefined> {
  const header = ctx.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const principal = match ? await credentials.authenticate(match[1]) : undefined;
  if (!principal) {
    throw new GatewayError(401, "INVALID_CREDENTIAL", "the credential is malformed, unknown or revoked", {
      headers: { "WWW-Authenticate": 'Bearer realm="tech-transfer-ledger"' },
    });
  }
  return principal;
}

/** Refuses the caller unless the route's access admits it. */
function authorize(route: Route, principal: Principal | undefined): void {
  if ("public" in route.access) return;
  if (!principal) {
    throw new GatewayError(401, "AUTHENTICATION_REQUIRED", "this route needs a credential (Authorization: Bearer …)", {
      headers: { "WWW-Authenticate": 'Bearer realm="tech-transfer-ledger"' },
    });
  }
  if (!route.access.roles.some((role) => principal.roles.includes(role))) {
    throw new GatewayError(403, "FORBIDDEN", `this route is for: ${route.access.roles.join(", ")}`);
  }
}

/** Registers every route on `router` behind identification, authorization and input validation. */
export function mountRoutes(router: Router, routes: readonly Route[], credentials: CredentialService): void {
  for (const route of routes) {
    const method = route.method.toLowerCase() as "get" | "post" | "put" | "delete";
    router[method](route.path, async (ctx) => {
      const principal = await identify(ctx, credentials);
      authorize(route, principal);
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
