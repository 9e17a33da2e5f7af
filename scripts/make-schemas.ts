// `npm run make:schemas`: writes the JSON Schemas of docs/ from the SDK's own schemas.
// test/sdk/certificate/jsonSchemas.test.ts fails when a committed one differs.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { jsonSchemas } from "../sdk/certificate/jsonSchemas";

async function main(): Promise<void> {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    const file = path.join(__dirname, "..", "docs", name);
    await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

void main();
