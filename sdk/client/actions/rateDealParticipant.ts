import { assertDealId, assertObject } from "../assert";
import { type RatedRole, type RatingView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface RateDealParticipantParameters {
  dealId: string;
  /** Whom: `counterparty`, `broker`, `manager`, `evaluator` or `platform`. */
  role: RatedRole;
  /** Which evaluator, when the deal engaged several. */
  userId?: string;
  /** 1 to 5. */
  score: number;
  comment?: string;
}
export type RateDealParticipantReturnType = RatingView;

/**
 * Rates a participant of a delivered deal (or the platform), once each, as a party (POST /v1/deals/:id/ratings).
 *
 * @example
 * const rating = await demander.rateDealParticipant({ dealId, role: "broker", score: 4, comment: "quick" });
 */
export async function rateDealParticipant(
  client: GatewayClientBase,
  parameters: RateDealParticipantParameters,
): Promise<RateDealParticipantReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, role, userId, score, comment } = parameters;
  assertDealId(dealId);
  return client.request<RateDealParticipantReturnType>("POST", `/v1/deals/${dealId}/ratings`, {
    role,
    score,
    ...(userId !== undefined && { userId }),
    ...(comment !== undefined && { comment }),
  });
}
