import { assertDealId, assertObject } from "../assert";
import { type RatingView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ListDealRatingsParameters {
  dealId: string;
}
export type ListDealRatingsReturnType = { ratings: RatingView[] };

/**
 * The ratings given in the deal (GET /v1/deals/:id/ratings).
 *
 * @example
 * const { ratings } = await me.listDealRatings({ dealId });
 */
export async function listDealRatings(
  client: GatewayClientBase,
  parameters: ListDealRatingsParameters,
): Promise<ListDealRatingsReturnType> {
  assertObject(parameters, "parameters");
  const { dealId } = parameters;
  assertDealId(dealId);
  return client.request<ListDealRatingsReturnType>("GET", `/v1/deals/${dealId}/ratings`);
}
