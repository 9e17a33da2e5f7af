import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealSummaryView } from "../schemas";

export interface GetDealSummaryParameters {
  dealId: string;
}
export type GetDealSummaryReturnType = DealSummaryView;

/**
 * The deal's summary so far (GET /v1/deals/:id/summary): the parties' self-evaluations, the engaged
 * evaluators' third-party evaluations and the service summary with the time per step.
 *
 * @example
 * const { selfEvaluations, serviceSummary } = await me.getDealSummary({ dealId });
 */
export async function getDealSummary(
  client: GatewayClientBase,
  parameters: GetDealSummaryParameters,
): Promise<GetDealSummaryReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<GetDealSummaryReturnType>("GET", `/v1/deals/${parameters.dealId}/summary`);
}
