import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealSummaryPartView } from "../schemas";

/** What a self-evaluation or a third-party evaluation of a deal says (6.10). */
export interface DealEvaluationInput {
  wentWell: string[];
  wentBadly: string[];
  /** 1–5 each; `overall` always. */
  scores: { overall: number; communication?: number; timeliness?: number; quality?: number };
  comment?: string;
}

export type SubmitDealSelfEvaluationParameters = DealEvaluationInput & { dealId: string };
export type SubmitDealSelfEvaluationReturnType = DealSummaryPartView;

/**
 * A party's self-evaluation of the deal, once it is delivered or cancelled (POST
 * /v1/deals/:id/summary/self-evaluation); once per party, an `archive.recorded` record of the deal.
 *
 * @example
 * await supplier.submitDealSelfEvaluation({ dealId, wentWell: ["clear need"], wentBadly: [], scores: { overall: 5 } });
 */
export async function submitDealSelfEvaluation(
  client: GatewayClientBase,
  parameters: SubmitDealSelfEvaluationParameters,
): Promise<SubmitDealSelfEvaluationReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  const { dealId, ...body } = parameters;
  return client.request<SubmitDealSelfEvaluationReturnType>(
    "POST",
    `/v1/deals/${dealId}/summary/self-evaluation`,
    body,
  );
}
