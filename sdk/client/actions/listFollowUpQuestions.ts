import { assertDealId, assertObject } from "../assert";
import { type FollowUpQuestionView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ListFollowUpQuestionsParameters {
  dealId: string;
}
export type ListFollowUpQuestionsReturnType = { questions: FollowUpQuestionView[] };

/**
 * The deal's follow-up questions with their answers, oldest first (GET /v1/deals/:id/questions).
 *
 * @example
 * const { questions } = await me.listFollowUpQuestions({ dealId });
 */
export async function listFollowUpQuestions(
  client: GatewayClientBase,
  parameters: ListFollowUpQuestionsParameters,
): Promise<ListFollowUpQuestionsReturnType> {
  assertObject(parameters, "parameters");
  const { dealId } = parameters;
  assertDealId(dealId);
  return client.request<ListFollowUpQuestionsReturnType>("GET", `/v1/deals/${dealId}/questions`);
}
