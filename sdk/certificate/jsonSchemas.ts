import { z } from "zod";
import { archiveSchema } from "./archive";
import { dossierSchema } from "./dossier";
import { receiptSchema } from "../receipts/receipt";
import { trustAnchorSchema } from "../trust/trustAnchor";

/**
 * JSON Schemas (draft 2020-12) of the files a reader handles, generated from the
 * very schemas the verifiers parse with, so the published ones cannot drift:
 * `docs/dossier.schema.json`, `docs/archive.schema.json`, `docs/trust-anchor.schema.json`, `docs/receipt.schema.json`.
 *
 * @example
 * const schema = jsonSchemas()["dossier.schema.json"];
 */
export function jsonSchemas(): Record<string, unknown> {
  const of = (schema: z.ZodType, id: string, title: string) => ({
    $id: `https://tech-transfer-ledger.example/schemas/${id}`,
    title,
    ...z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }),
  });
  return {
    "dossier.schema.json": of(
      dossierSchema,
      "dossier.schema.json",
      "Dispute dossier (tech-transfer-ledger/dispute-dossier@1)",
    ),
    "archive.schema.json": of(
      archiveSchema,
      "archive.schema.json",
      "Deal archive (tech-transfer-ledger/deal-archive@1)",
    ),
    "trust-anchor.schema.json": of(
      trustAnchorSchema,
      "trust-anchor.schema.json",
      "Trust anchor (tech-transfer-ledger/trust-anchor@1)",
    ),
    "receipt.schema.json": of(
      receiptSchema,
      "receipt.schema.json",
      "Evidence receipt (tech-transfer-ledger/evidence-receipt@1 or @2)",
    ),
  };
}
