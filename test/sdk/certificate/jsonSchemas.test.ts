import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jsonSchemas } from "../../../sdk/certificate/jsonSchemas";

describe("the JSON Schemas published in docs/", () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`docs/${name} is the schema the verifiers parse with (npm run make:schemas)`, () => {
      const committed = JSON.parse(readFileSync(path.join(__dirname, "../../../docs", name), "utf8"));
      expect(committed).toEqual(schema);
    });
  }
});
