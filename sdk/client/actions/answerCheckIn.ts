import type { z } from "zod";
import { assertDealId, assertMatches, assertObject } from "../assert";
import { CHECK_IN_ID_PATTERN, type CheckInView, type checkInQuestionnaireSchema } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

/** The questionnaire as a caller writes it: lists that default to empty may be left out. */
export type CheckInQuestionnaireInput = z.input<typeof checkInQuestionnaireSchema>;

export interface AnswerCheckInParameters {
  dealId: string;
  checkInId: string;
  /** The questionnaire (SDK `checkInQuestionnaireSchema`). */
  questionnaire: CheckInQuestionnaireInput;
}
export type AnswerCheckInReturnType = CheckInView;

/**
 * Answers a check-in's questionnaire, as the party it asks (POST /v1/deals/:id/check-ins/:checkInId/answers).
 *
 * @example
 * const checkIn = await demander.answerCheckIn({ dealId, checkInId, questionnaire: { implementation: "in_production" } });
 */
export async function answerCheckIn(
  client: GatewayClientBase,
  parameters: AnswerCheckInParameters,
): Promise<AnswerCheckInReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, checkInId, questionnaire } = parameters;
  assertDealId(dealId);
  assertMatches(checkInId, CHECK_IN_ID_PATTERN, "checkInId", "a check-in id (chk_…)");
  assertObject(questionnaire, "questionnaire");
  return client.request<AnswerCheckInReturnType>(
    "POST",
    `/v1/deals/${dealId}/check-ins/${checkInId}/answers`,
    questionnaire,
  );
}
