import { assertDealId, assertMatches, assertObject } from "../assert";
import { QUESTION_ID_PATTERN, type FollowUpQuestionView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface CloseFollowUpQuestionParameters {
  dealId: string;
  questionId: string;
}
export type CloseFollowUpQuestionReturnType = FollowUpQuestionView;

/**
 * Closes a follow-up question, as its asker (POST /v1/deals/:id/questions/:questionId/close).
 *
 * @example
 * const question = await demander.closeFollowUpQuestion({ dealId, questionId });
 */
export async function closeFollowUpQuestion(
  client: GatewayClientBase,
  parameters: CloseFollowUpQuestionParameters,
): Promise<CloseFollowUpQuestionReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, questionId } = parameters;
  assertDealId(dealId);
  assertMatches(questionId, QUESTION_ID_PATTERN, "questionId", "a question id (fq_…)");
  return client.request<CloseFollowUpQuestionReturnType>(
    "POST",
    `/v1/deals/${dealId}/questions/${questionId}/close`,
    {},
  );
}
