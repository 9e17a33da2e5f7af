import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { OFFERING_ID_PATTERN, type ServiceOfferingView } from "../serviceSchemas";

export interface WithdrawServiceOfferingParameters {
  offeringId: string;
  reason?: string;
}
export type WithdrawServiceOfferingReturnType = ServiceOfferingView;

/**
 * Withdraws your offering: no new orders; orders placed keep their course (POST /v1/service-offerings/:id/withdrawal).
 *
 * @example
 * await agency.withdrawServiceOffering({ offeringId, reason: "no agent free this quarter" });
 */
export async function withdrawServiceOffering(
  client: GatewayClientBase,
  parameters: WithdrawServiceOfferingParameters,
): Promise<WithdrawServiceOfferingReturnType> {
  assertObject(parameters, "parameters");
  const { offeringId, reason } = parameters;
  assertMatches(offeringId, OFFERING_ID_PATTERN, "offeringId", "an offering id (svo_…)");
  return client.request<WithdrawServiceOfferingReturnType>("POST", `/v1/service-offerings/${offeringId}/withdrawal`, {
    ...(reason !== undefined && { reason }),
  });
}
