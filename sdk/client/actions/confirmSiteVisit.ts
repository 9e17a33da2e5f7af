import { assertBoolean, assertDealId, assertMatches, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { VISIT_ID_PATTERN } from "../../patterns";
import type { SiteVisitView } from "../types";

export interface ConfirmSiteVisitParameters {
  dealId: string;
  visitId: string;
  /** True: the record is right; false: it is not (say why in `note`). */
  confirmed: boolean;
  note?: string;
}
export type ConfirmSiteVisitReturnType = SiteVisitView;

/**
 * A party's confirmation of a site visit's record, once (POST /v1/deals/:id/visits/:visitId/confirmations).
 *
 * @example
 * await buyer.confirmSiteVisit({ dealId, visitId, confirmed: true });
 */
export async function confirmSiteVisit(
  client: GatewayClientBase,
  parameters: ConfirmSiteVisitParameters,
): Promise<ConfirmSiteVisitReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMatches(parameters.visitId, VISIT_ID_PATTERN, "visitId", "a visit id (vis_ and 16 hex digits)");
  assertBoolean(parameters.confirmed, "confirmed");
  if (parameters.note !== undefined) assertString(parameters.note, "note", { max: 2000 });
  return client.request<ConfirmSiteVisitReturnType>(
    "POST",
    `/v1/deals/${parameters.dealId}/visits/${parameters.visitId}/confirmations`,
    { confirmed: parameters.confirmed, ...(parameters.note !== undefined && { note: parameters.note }) },
  );
}
