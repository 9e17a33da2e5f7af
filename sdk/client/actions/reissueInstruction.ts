import { assertDealId, assertMilestone, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { EscrowMove } from "../types";

export interface ReissueInstructionParameters {
  dealId: string;
  milestone: number;
}
export type ReissueInstructionReturnType = EscrowMove;

/**
 * Issues again an instruction the bank reported failed, once its cause is fixed (POST
 * …/milestones/:m/reissue), for the operator and admins.
 *
 * @example
 * await operator.reissueInstruction({ dealId, milestone: 0 });
 */
export async function reissueInstruction(
  client: GatewayClientBase,
  parameters: ReissueInstructionParameters,
): Promise<ReissueInstructionReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMilestone(parameters.milestone);
  return client.request<ReissueInstructionReturnType>(
    "POST",
    `/v1/deals/${parameters.dealId}/milestones/${parameters.milestone}/reissue`,
  );
}
