import { assertObject, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface OpenImportBatchParameters {
  asUser: string;
  manifest: Record<string, string>;
  approval?: { reviewerId: string; signature: string };
}
export interface OpenImportBatchReturnType {
  id: string;
  asUser: string;
  approval?: { reviewerId: string; address: string; signature: string };
  recordId: string;
  createdAt: string;
  /** Lines of the manifest already imported. */
  imported: number;
}

/**
 * Opens an import batch for a user from its manifest (POST /v1/imports), for the operator: import id →
 * SHA-256 of the listing as canonical JSON. Opening the same manifest again reopens the batch and says
 * how many lines are already imported. A reviewer may pre-approve every listing of the batch by
 * signing `importApprovalMessage(batchId)`.
 *
 * @example
 * const batch = await operator.openImportBatch({ asUser: userId, manifest });
 * await operator.publishImportLines({ batchId: batch.id, lines });
 */
export async function openImportBatch(
  client: GatewayClientBase,
  parameters: OpenImportBatchParameters,
): Promise<OpenImportBatchReturnType> {
  assertObject(parameters, "parameters");
  assertUserId(parameters.asUser, "asUser");
  assertObject(parameters.manifest, "manifest");
  return client.request<OpenImportBatchReturnType>("POST", `/v1/imports`, {
    asUser: parameters.asUser,
    manifest: parameters.manifest,
    ...(parameters.approval ? { approval: parameters.approval } : {}),
  });
}
