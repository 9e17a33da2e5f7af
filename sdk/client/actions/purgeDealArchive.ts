import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface PurgeDealArchiveParameters {
  dealId: string;
}
/** The archive's entry after the purge: its digest, retention and the purge's record. */
export type PurgeDealArchiveReturnType = {
  dealId: string;
  archivedAt: string;
  retainUntil: string;
  sha256: string;
  records: number;
  documents: number;
  builtAt: string;
  recordId: string;
  purged: { at: string; by: string; recordId: string };
};

/**
 * Purges a deal's kept archive once its retention period is over, as the operator (DELETE
 * /v1/deals/:id/archive). Before then the gateway refuses with 409 `ARCHIVE_RETAINED`, its message
 * naming the date from which it may be purged.
 *
 * @example
 * const { purged } = await operator.purgeDealArchive({ dealId });
 */
export async function purgeDealArchive(
  client: GatewayClientBase,
  parameters: PurgeDealArchiveParameters,
): Promise<PurgeDealArchiveReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<PurgeDealArchiveReturnType>("DELETE", `/v1/deals/${parameters.dealId}/archive`);
}
