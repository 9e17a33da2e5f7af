import { assertDealId, assertMilestone, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { EscrowMove } from "../types";

export interface ReleaseLapsedMilestoneParameters {
  dealId: string;
  milestone: number;
}
export type ReleaseLapsedMilestoneReturnType = EscrowMove;

/**
 * Releases a milestone whose inspection period lapsed without objection (POST
 * …/milestones/:m/release), for anyone who may see the deal: the outcome is already fixed by the
 * terms.
 *
 * @example
 * await me.releaseLapsedMilestone({ dealId, milestone: 0 });
 */
export async function releaseLapsedMilestone(
  client: GatewayClientBase,
  parameters: ReleaseLapsedMilestoneParameters,
): Promise<ReleaseLapsedMilestoneReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMilestone(parameters.milestone);
  return client.request<ReleaseLapsedMilestoneReturnType>(
    "POST",
    `/v1/deals/${parameters.dealId}/milestones/${parameters.milestone}/release`,
  );
}
