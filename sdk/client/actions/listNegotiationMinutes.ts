import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { NegotiationMinutesView } from "../types";

export interface ListNegotiationMinutesParameters {
  dealId: string;
}
export type ListNegotiationMinutesReturnType = { minutes: NegotiationMinutesView[] };

/**
 * The deal's negotiation minutes with their signatures (GET /v1/deals/:id/minutes).
 *
 * @example
 * const { minutes } = await me.listNegotiationMinutes({ dealId });
 */
export async function listNegotiationMinutes(
  client: GatewayClientBase,
  parameters: ListNegotiationMinutesParameters,
): Promise<ListNegotiationMinutesReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<ListNegotiationMinutesReturnType>("GET", `/v1/deals/${parameters.dealId}/minutes`);
}
