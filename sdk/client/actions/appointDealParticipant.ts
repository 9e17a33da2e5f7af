import { assertDealId, assertObject, assertOneOf, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealWorkspaceView } from "../types";

export interface AppointDealParticipantParameters {
  dealId: string;
  role: "broker" | "manager";
  userId: string;
}
export type AppointDealParticipantReturnType = DealWorkspaceView;

/**
 * Nominates the deal's broker (技术经纪人) or manager (技术经理人) for a party: once both parties named the
 * same user, they are appointed. The operator assigns one directly (POST /v1/deals/:id/participants).
 *
 * @example
 * await seller.appointDealParticipant({ dealId, role: "broker", userId: brokerId });
 * const { broker } = await buyer.appointDealParticipant({ dealId, role: "broker", userId: brokerId });
 */
export async function appointDealParticipant(
  client: GatewayClientBase,
  parameters: AppointDealParticipantParameters,
): Promise<AppointDealParticipantReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertOneOf(parameters.role, ["broker", "manager"] as const, "role");
  assertUserId(parameters.userId);
  return client.request<AppointDealParticipantReturnType>("POST", `/v1/deals/${parameters.dealId}/participants`, {
    role: parameters.role,
    userId: parameters.userId,
  });
}
