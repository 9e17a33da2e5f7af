import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealEvaluationView } from "../types";

export interface ListEvaluationsParameters {
  dealId: string;
}
export type ListEvaluationsReturnType = { evaluations: DealEvaluationView[] };

/**
 * The deal's evaluation reports with the value ranges the gateway recomputed (GET /v1/deals/:id/evaluations).
 *
 * @example
 * const { evaluations } = await me.listEvaluations({ dealId });
 * evaluations[0].range // { method: "income", currency: "CNY", value, low, high }
 */
export async function listEvaluations(
  client: GatewayClientBase,
  parameters: ListEvaluationsParameters,
): Promise<ListEvaluationsReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<ListEvaluationsReturnType>("GET", `/v1/deals/${parameters.dealId}/evaluations`);
}
