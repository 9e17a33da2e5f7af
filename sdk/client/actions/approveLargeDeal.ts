import { assertDealId, assertObject, assertString } from "../assert";
import { type DealApprovalView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ApproveLargeDealParameters {
  /** The deal (deal_…). */
  dealId: string;
  /** Why, for the record. */
  reason: string;
}
export type ApproveLargeDealReturnType = DealApprovalView;

/**
 * Approves a deal the large-deal rule held, as a manager (POST /v1/deals/:id/risk-approval); its escrow terms may then be proposed.
 *
 * @example
 * const approval = await manager.approveLargeDeal({ dealId, reason: "Board minutes of 2026-11-30 seen" });
 */
export async function approveLargeDeal(
  client: GatewayClientBase,
  parameters: ApproveLargeDealParameters,
): Promise<ApproveLargeDealReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, reason } = parameters;
  assertDealId(dealId);
  assertString(reason, "reason", { max: 2000 });
  return client.request<ApproveLargeDealReturnType>("POST", `/v1/deals/${dealId}/risk-approval`, { reason });
}
