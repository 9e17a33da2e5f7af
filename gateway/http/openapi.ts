import { z } from "zod";
import { describeAccess } from "../auth/roles";
import type { Route } from "./route";
import { errorSchema } from "./route";

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/** Named schemas (those with a `meta({ id })`), hoisted into `components.schemas`. */
const components: Record<string, unknown> = {};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  const {
    $schema: _ignored,
    $defs,
    ...rest
  } = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<
    string,
    unknown
  > & { $defs?: Record<string, unknown> };
  Object.assign(components, $defs ?? {});
  return rest;
}

function objectProperties(schema: z.ZodType | undefined): Array<[string, Record<string, unknown>, boolean]> {
  if (!schema) return [];
  const json = jsonSchema(schema, "input") as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => [
    name,
    property,
    (json.required ?? []).includes(name),
  ]);
}

/**
 * The OpenAPI 3.1 description of `routes`, generated from the schemas that
 * validate their input, so the document cannot drift from what is enforced.
 */
export function buildOpenApi(routes: readonly Route[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const idempotency = route.idempotent
      ? [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description:
              "Makes a retry safe: the same key, method, path and body get the first answer; the key used for another request or body is refused (422). Required on signed requests",
            schema: { type: "string", pattern: "^[A-Za-z0-9_.:-]{8,128}$" },
          },
        ]
      : [];
    const parameters = [
      ...idempotency,
      ...objectProperties(route.params).map(([name, schema]) => ({ name, in: "path", required: true, schema })),
      ...objectProperties(route.query).map(([name, schema, required]) => ({
        name,
        in: "query",
        required,
        schema,
        description: schema.description,
      })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const schema = response.schema ?? (Number(status) >= 400 ? errorSchema : undefined);
      responses[status] = {
        description: response.description,
        ...(schema || response.contentType
          ? {
              content: {
                [response.contentType ?? "application/json"]: schema ? { schema: jsonSchema(schema, "output") } : {},
              },
            }
          : {}),
      };
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      description: route.description,
      tags: route.tags,
      parameters: parameters.length ? parameters : undefined,
      security: "public" in route.access ? [] : [{ bearer: [] }],
      "x-roles": describeAccess(route.access),
      requestBody: route.body
        ? { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } }
        : undefined,
      responses,
    };
    paths[toOpenApiPath(route.path)] ??= {};
    paths[toOpenApiPath(route.path)][route.method.toLowerCase()] = JSON.parse(JSON.stringify(operation));
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tech Transfer Ledger gateway",
      version: info.version,
      description:
        "Every workflow step of a technology-transfer deal is recorded here and anchored on a permissioned EVM chain. " +
        "Errors answer `{ error: { code, message } }`. `x-roles` names who may call each operation.",
    },
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A service credential: `ttl.<keyId>.<secret>`" },
      },
    },
    paths,
  };
}
