import { buildOpenApi } from "../http/openapi";
import { renderApiPage } from "../http/apiPage";
import { defineRoute, type Route } from "../http/route";
import { verifyPageHtml, verifyPageScript } from "../verify-page/bundle";

/** The API description, its readable page, and the certificate verification page. */
export function metaRoutes(everyRoute: () => readonly Route[], version: string): Route[] {
  let openapi: ReturnType<typeof buildOpenApi> | undefined;
  const document = () => (openapi ??= buildOpenApi(everyRoute(), { version }));
  const routes: Route[] = [
    defineRoute({
      method: "GET",
      path: "/openapi.json",
      summary: "This API, described in OpenAPI 3.1",
      tags: ["system"],
      access: { public: true },
      responses: { 200: { description: "The OpenAPI document" } },
      handler: () => ({ status: 200, body: document() }),
    }),
    defineRoute({
      method: "GET",
      path: "/docs",
      summary: "This API as a readable page",
      tags: ["system"],
      access: { public: true },
      responses: { 200: { description: "HTML", contentType: "text/html" } },
      handler: () => ({ status: 200, type: "text/html; charset=utf-8", body: renderApiPage(document() as never) }),
    }),
    defineRoute({
      method: "GET",
      path: "/verify",
      summary: "Verification page: check a certificate in the browser (bilingual)",
      tags: ["verification"],
      access: { public: true },
      responses: { 200: { description: "HTML", contentType: "text/html" } },
      handler: async () => ({ status: 200, type: "text/html; charset=utf-8", body: await verifyPageHtml() }),
    }),
    defineRoute({
      method: "GET",
      path: "/verify/app.js",
      summary: "The verification page's script (the SDK verifier, bundled)",
      tags: ["verification"],
      access: { public: true },
      responses: { 200: { description: "JavaScript", contentType: "text/javascript" } },
      handler: async () => ({
        status: 200,
        type: "text/javascript; charset=utf-8",
        body: await verifyPageScript(),
        headers: { "Cache-Control": "public, max-age=300" },
      }),
    }),
  ];
  return routes;
}
