import { assertDealId, assertFile, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import type { EvaluationReportInput } from "../../deal/evaluation";
import type { DealEvaluationView, FileInput } from "../types";

export interface SubmitEvaluationParameters {
  dealId: string;
  /** The report (`evaluationReportSchema`); a valuation's value, low and high as `valueTechnology` gives them. */
  report: EvaluationReportInput;
  /** The report's documents (at most sixteen): stored, their SHA-256 in the record. */
  files?: FileInput[];
}
export type SubmitEvaluationReturnType = DealEvaluationView;

/**
 * Submits an evaluation report, for an evaluator a party engaged (POST /v1/deals/:id/evaluations). The
 * gateway recomputes a valuation from the report's inputs and refuses figures that disagree
 * (`EVALUATION_FIGURES_DIFFER`, each figure in `details`): compute them with `valueTechnology` first.
 *
 * @example
 * const valuation = valueTechnology("income", inputs);
 * const evaluation = await evaluator.submitEvaluation({ dealId, report: { ...report,
 *   method: { approach: "income", inputs }, result: { ...valuation, conclusion: "约8.68万元" } } });
 */
export async function submitEvaluation(
  client: GatewayClientBase,
  parameters: SubmitEvaluationParameters,
): Promise<SubmitEvaluationReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertObject(parameters.report, "report");
  for (const [i, file] of (parameters.files ?? []).entries()) assertFile(file, `files[${i}]`);
  const { dealId, report, files } = parameters;
  return client.request<SubmitEvaluationReturnType>("POST", `/v1/deals/${dealId}/evaluations`, {
    report,
    ...(files && { files: files.map(fileBody) }),
  });
}
