const escape = (text: unknown) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Operation {
  summary?: string;
  description?: string;
  "x-roles"?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: unknown }>;
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { description: string }>;
}

/** A readable page of the OpenAPI document: every route, who may call it, what it takes and answers. */
export function renderApiPage(openapi: {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
}): string {
  const sections = Object.entries(openapi.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? "required" : "optional"}</td><td>${escape(p.description)}</td></tr>`,
        )
        .join("");
      const body = op.requestBody?.content["application/json"]?.schema;
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<tr><td>${escape(status)}</td><td>${escape(r.description)}</td></tr>`)
        .join("");
      return `<section id="${escape(method)}-${escape(path)}">
  <h2><span class="method">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h2>
  <p><strong>${escape(op.summary)}</strong></p>
  ${op.description ? `<p>${escape(op.description)}</p>` : ""}
  <p>Who may call: ${(op["x-roles"] ?? []).map((r) => `<code>${escape(r)}</code>`).join(", ")}</p>
  ${params ? `<table><tr><th>parameter</th><th>in</th><th></th><th></th></tr>${params}</table>` : ""}
  ${body ? `<details><summary>Request body (JSON Schema)</summary><pre>${escape(JSON.stringify(body, null, 2))}</pre></details>` : ""}
  <table><tr><th>status</th><th>meaning</th></tr>${responses}</table>
</section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(openapi.info.title)} API</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
section{border-top:1px solid #d0d7de;padding:.5rem 0}.method{background:#0969da;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.85em}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #eaeef2;padding:.2rem .6rem;text-align:left}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.8rem}</style></head><body>
<h1>${escape(openapi.info.title)} <small>${escape(openapi.info.version)}</small></h1>
<p>${escape(openapi.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join("\n")}</body></html>`;
}
