import { buildOpenApi } from "../http/openapi";
import { renderApiPage } from "../http/apiPage";
import { defineRoute, type Route } from "../http/route";
import { z } from "zod";
import { notFound } from "../errors";
import { verifyPageHtml, verifyPageScript } from "../verify-page/bundle";
import { verifyPageFontCss, verifyPageFontFile } from "../verify-page/fonts";

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
    defineRoute({
      method: "GET",
      path: "/verify/fonts.css",
      summary: "The verification page's Chinese font (Noto Sans SC, OFL-1.1): @font-face rules, one per slice",
      tags: ["verification"],
      access: { public: true },
      responses: { 200: { description: "CSS", contentType: "text/css" } },
      handler: async () => ({
        status: 200,
        type: "text/css; charset=utf-8",
        body: await verifyPageFontCss(),
        headers: { "Cache-Control": "public, max-age=86400" },
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/verify/fonts/:file",
      summary: "One slice of the verification page's font (WOFF2), as named in /verify/fonts.css",
      tags: ["verification"],
      access: { public: true },
      params: z.object({
        file: z.string().regex(/^[a-z0-9-]{1,80}\.woff2$/, "a font file name from /verify/fonts.css"),
      }),
      responses: {
        200: { description: "WOFF2", contentType: "font/woff2" },
        400: { description: "Not a font file name" },
        404: { description: "No such slice" },
      },
      async handler({ params }) {
        const bytes = await verifyPageFontFile(params.file);
        if (!bytes) throw notFound("FONT_NOT_FOUND", `no font file ${params.file}; /verify/fonts.css names them`);
        return { status: 200, type: "font/woff2", body: bytes, headers: { "Cache-Control": "public, max-age=86400" } };
      },
    }),
  ];
  return routes;
}
