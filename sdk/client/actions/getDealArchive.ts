import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealArchive } from "../../certificate/archive";

export interface GetDealArchiveParameters {
  dealId: string;
}
export type GetDealArchiveReturnType = DealArchive;

/**
 * Downloads an archived deal's archive (GET /v1/deals/:id/archive): every record of the deal as
 * certificates, every document, the summary (docs/ARCHIVE.md). Until the archive move is anchored the
 * gateway answers 409 `ARCHIVE_NOT_READY` (a `GatewayRequestError` with `retryAfterSeconds`); after a
 * purge, 410 `ARCHIVE_PURGED`. Check it with `verifyArchive` against your own trust anchor.
 *
 * @example
 * const archive = await manager.getDealArchive({ dealId });
 * const result = await verifyArchive({ archive, rpcUrl, trust });
 */
export async function getDealArchive(
  client: GatewayClientBase,
  parameters: GetDealArchiveParameters,
): Promise<GetDealArchiveReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<GetDealArchiveReturnType>("GET", `/v1/deals/${parameters.dealId}/archive`);
}
