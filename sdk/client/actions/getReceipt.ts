import type { GatewayClientBase } from "../createGatewayClient";
import { assertRecordId } from "../assert";
import type { EvidenceReceipt } from "../../receipts/receipt";

export interface GetReceiptParameters {
  /** The record's id. */
  id: string;
}
export type GetReceiptReturnType = EvidenceReceipt;

/**
 * The gateway's signed receipt of a record (GET /v1/evidence/:id/receipt): the same
 * one the answer that recorded it carried. For a record whose receipt a client did
 * not keep, e.g. past the 12 a bulk write's `Evidence-Receipts` header carries.
 * Check it with `verifyReceipts([receipt], trust)`.
 *
 * @example
 * const receipt = await client.getReceipt({ id });
 */
export async function getReceipt(
  client: GatewayClientBase,
  { id }: GetReceiptParameters,
): Promise<GetReceiptReturnType> {
  assertRecordId(id);
  return client.request<EvidenceReceipt>("GET", `/v1/evidence/${encodeURIComponent(id)}/receipt`);
}
