import { assertDealId, assertMilestone, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { EscrowMove } from "../types";

export interface FinalizeRulingParameters {
  dealId: string;
  milestone: number;
}
export type FinalizeRulingReturnType = EscrowMove;

/**
 * Makes an arbitrator's ruling final once its appeal window lapsed (POST …/milestones/:m/finalize),
 * for anyone who may see the deal.
 *
 * @example
 * await me.finalizeRuling({ dealId, milestone: 0 });
 */
export async function finalizeRuling(
  client: GatewayClientBase,
  parameters: FinalizeRulingParameters,
): Promise<FinalizeRulingReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMilestone(parameters.milestone);
  return client.request<FinalizeRulingReturnType>(
    "POST",
    `/v1/deals/${parameters.dealId}/milestones/${parameters.milestone}/finalize`,
  );
}
