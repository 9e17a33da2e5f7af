import { assertDealId, assertObject } from "../assert";
import { type FollowUpQuestionKind, type FollowUpQuestionView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface AskFollowUpQuestionParameters {
  dealId: string;
  /** What it is about: `technical`, `training` or `problem` (in use). */
  kind: FollowUpQuestionKind;
  text: string;
}
export type AskFollowUpQuestionReturnType = FollowUpQuestionView;

/**
 * Asks a follow-up question in a delivered deal, as one of its parties (POST /v1/deals/:id/questions). The
 * counter-party or the deal's manager answers; the first question of a `delivered` deal moves it to `following_up`.
 *
 * @example
 * const question = await demander.askFollowUpQuestion({ dealId, kind: "problem", text: "The shredder clogs" });
 */
export async function askFollowUpQuestion(
  client: GatewayClientBase,
  parameters: AskFollowUpQuestionParameters,
): Promise<AskFollowUpQuestionReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, kind, text } = parameters;
  assertDealId(dealId);
  return client.request<AskFollowUpQuestionReturnType>("POST", `/v1/deals/${dealId}/questions`, { kind, text });
}
