import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealSummaryPartView } from "../schemas";
import type { DealEvaluationInput } from "./submitDealSelfEvaluation";

export type SubmitThirdPartyEvaluationParameters = DealEvaluationInput & { dealId: string };
export type SubmitThirdPartyEvaluationReturnType = DealSummaryPartView;

/**
 * The third-party evaluation of the deal by an evaluator the parties engaged (POST
 * /v1/deals/:id/summary/third-party-evaluation); once per evaluator.
 *
 * @example
 * await evaluator.submitThirdPartyEvaluation({ dealId, wentWell: [], wentBadly: ["late data"], scores: { overall: 3 } });
 */
export async function submitThirdPartyEvaluation(
  client: GatewayClientBase,
  parameters: SubmitThirdPartyEvaluationParameters,
): Promise<SubmitThirdPartyEvaluationReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  const { dealId, ...body } = parameters;
  return client.request<SubmitThirdPartyEvaluationReturnType>(
    "POST",
    `/v1/deals/${dealId}/summary/third-party-evaluation`,
    body,
  );
}
