import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { SiteVisitView } from "../types";

export interface ListSiteVisitsParameters {
  dealId: string;
}
export type ListSiteVisitsReturnType = { visits: SiteVisitView[] };

/**
 * The deal's site visits with each side's confirmation (GET /v1/deals/:id/visits).
 *
 * @example
 * const { visits } = await me.listSiteVisits({ dealId });
 */
export async function listSiteVisits(
  client: GatewayClientBase,
  parameters: ListSiteVisitsParameters,
): Promise<ListSiteVisitsReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<ListSiteVisitsReturnType>("GET", `/v1/deals/${parameters.dealId}/visits`);
}
