import { z } from "zod";
import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../../../gateway/http/openapi";
import { defineRoute, inputProblems, invalidRequest, parseInput } from "../../../gateway/http/route";

const schema = z.strictObject({
  price: z.number().positive(),
  currency: z.enum(["CNY", "USD"]),
  number: z.string().refine((n) => n.length <= 3, { message: "at most 3", params: { code: "NUMBER_TOO_LONG" } }),
});

describe("input problems", () => {
  it("lists every problem, with its path, zod's code in upper case, or the code a refinement names", () => {
    const result = schema.safeParse({ price: -1, currency: "EUR", number: "12345", extra: 1 });
    expect(inputProblems(result.error!, "body")).toEqual([
      { path: "body.price", code: "TOO_SMALL", message: expect.any(String) },
      { path: "body.currency", code: "INVALID_VALUE", message: expect.any(String) },
      { path: "body.number", code: "NUMBER_TOO_LONG", message: "at most 3" },
      { path: "body", code: "UNRECOGNIZED_KEYS", message: expect.stringContaining("extra") },
    ]);
  });

  it("answers 400 INVALID_REQUEST naming the first problem and counting the others", () => {
    let thrown: any;
    try {
      parseInput(schema, { price: "x", currency: "CNY", number: "1" }, "query");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
    expect(thrown.details).toEqual([{ path: "query.price", code: "INVALID_TYPE", message: expect.any(String) }]);
    expect(thrown.shortMessage).toMatch(/^query\.price: /);
    const many = invalidRequest([
      { path: "body.a", code: "X", message: "a" },
      { path: "body.b", code: "Y", message: "b" },
    ]);
    expect(many.shortMessage).toBe("body.a: a (and 1 more problems, listed in error.details)");
  });

  it("describes error.details in OpenAPI as the ErrorDetail schema", () => {
    const document = buildOpenApi(
      [
        defineRoute({
          method: "POST",
          path: "/v1/things",
          summary: "a thing",
          tags: ["test"],
          access: { public: true },
          body: schema,
          responses: { 201: { description: "made" }, 400: { description: "refused" } },
          handler: () => ({ status: 201, body: {} }),
        }),
      ],
      { version: "test" },
    ) as any;
    const refused = document.paths["/v1/things"].post.responses["400"].content["application/json"].schema;
    expect(JSON.stringify(refused)).toContain("Error");
    const schemas = document.components.schemas;
    expect(schemas.ErrorDetail.required).toEqual(["path", "code", "message"]);
    expect(JSON.stringify(schemas.Error)).toContain("#/components/schemas/ErrorDetail");
  });
});
