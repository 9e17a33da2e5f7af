import { assertDealId, assertMatches, assertObject } from "../assert";
import { QUESTION_ID_PATTERN, type FollowUpQuestionView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface AnswerFollowUpQuestionParameters {
  dealId: string;
  questionId: string;
  text: string;
}
export type AnswerFollowUpQuestionReturnType = FollowUpQuestionView;

/**
 * Answers a follow-up question, as the asker's counter-party or the deal's manager
 * (POST /v1/deals/:id/questions/:questionId/answers). The first answer sets `responseSeconds`.
 *
 * @example
 * const question = await supplier.answerFollowUpQuestion({ dealId, questionId, text: "Dry them first" });
 */
export async function answerFollowUpQuestion(
  client: GatewayClientBase,
  parameters: AnswerFollowUpQuestionParameters,
): Promise<AnswerFollowUpQuestionReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, questionId, text } = parameters;
  assertDealId(dealId);
  assertMatches(questionId, QUESTION_ID_PATTERN, "questionId", "a question id (fq_…)");
  return client.request<AnswerFollowUpQuestionReturnType>(
    "POST",
    `/v1/deals/${dealId}/questions/${questionId}/answers`,
    { text },
  );
}
