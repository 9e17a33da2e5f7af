import Router from "@koa/router";
import Koa from "koa";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { mountRoutes, type RouteAuth } from "../../../gateway/http/mountRoutes";
import { defineRoute, type Route } from "../../../gateway/http/route";

/** A public GET route answering which route served it, with its params. */
function route(path: string, name: string): Route {
  return defineRoute({
    method: "GET",
    path,
    summary: name,
    tags: ["test"],
    access: { public: true },
    params: path.includes(":") ? z.object({ id: z.string() }) : undefined,
    responses: { 200: { description: "which route" } },
    handler: async ({ params }) => ({ status: 200, body: { route: name, params: params ?? {} } }),
  });
}

/** The app as createApp wires it: the exact-route table ahead of the router. */
async function serve(routes: Route[], path: string, method = "GET") {
  const router = new Router();
  // Public routes only: no credential is ever looked at.
  const exactRoutes = mountRoutes(router, routes, {} as RouteAuth);
  const app = new Koa();
  app.use(exactRoutes);
  app.use(router.routes());
  const server = app.listen(0);
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return {
      status: response.status,
      body: method === "HEAD" ? undefined : await response.json().catch(() => undefined),
    };
  } finally {
    server.close();
  }
}

describe("mountRoutes' table of routes without parameters", () => {
  it("serves a route without parameters, with empty params", async () => {
    expect(await serve([route("/v1/things/:id", "one"), route("/v1/stats", "stats")], "/v1/stats")).toEqual({
      status: 200,
      body: { route: "stats", params: {} },
    });
  });

  it("leaves to the router a path an earlier route with a parameter would take, as the router would", async () => {
    const routes = [route("/v1/things/:id", "one"), route("/v1/things/summary", "summary")];
    expect((await serve(routes, "/v1/things/summary")).body).toEqual({ route: "one", params: { id: "summary" } });
  });

  it("leaves to the router what the table does not hold exactly (a trailing slash, HEAD)", async () => {
    const routes = [route("/v1/stats", "stats")];
    expect((await serve(routes, "/v1/stats/")).body).toEqual({ route: "stats", params: {} });
    expect((await serve(routes, "/v1/stats", "HEAD")).status).toBe(200);
  });
});
