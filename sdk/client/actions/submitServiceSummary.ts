import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealSummaryPartView } from "../schemas";

export interface SubmitServiceSummaryParameters {
  dealId: string;
  /** What was done, one line each. */
  work: string[];
  outcome: "completed" | "partly_completed" | "not_completed" | "cancelled";
  outcomeNote?: string;
}
export type SubmitServiceSummaryReturnType = DealSummaryPartView;

/**
 * The service summary of the deal's manager or broker (POST /v1/deals/:id/summary/service); the gateway
 * adds the time per step from the deal's moves. Once per deal.
 *
 * @example
 * const { steps } = await manager.submitServiceSummary({ dealId, work: ["organised the talks"], outcome: "completed" });
 */
export async function submitServiceSummary(
  client: GatewayClientBase,
  parameters: SubmitServiceSummaryParameters,
): Promise<SubmitServiceSummaryReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  const { dealId, ...body } = parameters;
  return client.request<SubmitServiceSummaryReturnType>("POST", `/v1/deals/${dealId}/summary/service`, body);
}
