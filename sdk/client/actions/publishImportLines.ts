import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { BYTES32_PATTERN } from "../../patterns";
import type { ImportLineOutcome } from "./dryRunImport";

export interface PublishImportLinesParameters {
  /** The batch id: 32 bytes as lower-case hex. */
  batchId: string;
  lines: Array<{ line: number; importId: string; content: unknown }>;
}
export type PublishImportLinesReturnType = { lines: ImportLineOutcome[] };

/**
 * Publishes lines of an open import batch through the normal publishing path (POST
 * /v1/imports/:batchId/lines), for the operator: each as its user's listing, submitted for review or
 * approved at once when the batch was pre-approved. A line already imported is not published again.
 *
 * @example
 * const { lines } = await operator.publishImportLines({ batchId: batch.id, lines: chunk });
 */
export async function publishImportLines(
  client: GatewayClientBase,
  parameters: PublishImportLinesParameters,
): Promise<PublishImportLinesReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.batchId, BYTES32_PATTERN, "batchId", "a batch id (32 bytes as lower-case hex)");
  return client.request<PublishImportLinesReturnType>("POST", `/v1/imports/${parameters.batchId}/lines`, {
    lines: parameters.lines,
  });
}
