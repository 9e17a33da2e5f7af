import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { RequestNegotiationSessionReturnType } from "./requestNegotiationSession";

export interface ListNegotiationSessionsParameters {
  dealId: string;
}
export type ListNegotiationSessionsReturnType = { sessions: RequestNegotiationSessionReturnType[] };

/**
 * The deal's requests for formal sessions (GET /v1/deals/:id/sessions).
 *
 * @example
 * const { sessions } = await broker.listNegotiationSessions({ dealId });
 */
export async function listNegotiationSessions(
  client: GatewayClientBase,
  parameters: ListNegotiationSessionsParameters,
): Promise<ListNegotiationSessionsReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<ListNegotiationSessionsReturnType>("GET", `/v1/deals/${parameters.dealId}/sessions`);
}
