import { InvalidArgumentError } from "../../errors";
import { recordInputProblem } from "../../evidence/recordInput";
import { assertFile, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import type { FileInput, RecordReceipt } from "../types";
import { waitForAnchor, type WaitForAnchorParameters, type WaitForAnchorReturnType } from "./waitForAnchor";

export interface RecordEvidenceParameters {
  /** The workflow step, one of the gateway's evidence kinds (e.g. `evidence.attested`, `contract.signed`). */
  kind: string;
  /** What the record is about (`deal:2026-0042`); records of one subject form a hash chain. */
  subject: string;
  /** The record's fields, each committed separately so it can be disclosed alone. */
  data: Record<string, unknown>;
  /** Files to attach; their SHA-256 digests go into the record's `$files` field. */
  files?: FileInput[];
}
export type RecordEvidenceReturnType = RecordReceipt & {
  /** Waits until the record is anchored and returns it with its anchor. */
  wait(options?: Omit<WaitForAnchorParameters, "id">): Promise<WaitForAnchorReturnType>;
};

/**
 * Records a piece of evidence (POST /v1/evidence; the platform's services, with
 * an operator credential). It answers once the record is durable; anchoring
 * follows in the next batch, which `wait()` waits for.
 *
 * @example
 * const receipt = await operator.recordEvidence({
 *   kind: "evidence.attested",
 *   subject: "deal:2026-0042",
 *   data: { title: "光伏组件回收技术", price: 1200000, currency: "CNY" },
 * });
 * const anchored = await receipt.wait();
 */
export async function recordEvidence(
  client: GatewayClientBase,
  parameters: RecordEvidenceParameters,
): Promise<RecordEvidenceReturnType> {
  assertObject(parameters, "parameters");
  const { kind, subject, data, files } = parameters;
  assertString(kind, "kind", { max: 128 });
  if (files !== undefined) {
    if (!Array.isArray(files)) throw new InvalidArgumentError("files must be an array of { name, mediaType, bytes }");
    files.forEach((file, index) => assertFile(file, `files[${index}]`));
  }
  // The gateway's own rules (subject, nesting, field names, sizes), from their one definition.
  const problem = recordInputProblem({
    subject,
    data,
    files: files?.map((file) => ({ name: file.name, size: file.bytes.length })),
  });
  if (problem) throw new InvalidArgumentError(`${problem.path}: ${problem.message}`);
  const receipt = await client.request<RecordReceipt>("POST", "/v1/evidence", {
    kind,
    subject,
    data,
    ...(files ? { files: files.map(fileBody) } : {}),
  });
  return { ...receipt, wait: (options = {}) => waitForAnchor(client, { ...options, id: receipt.id }) };
}
