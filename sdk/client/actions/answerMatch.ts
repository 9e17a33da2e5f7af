import { assertBoolean, assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { MATCH_ID_PATTERN } from "../../patterns";
import type { DealView, MatchView } from "../types";

export interface AnswerMatchParameters {
  matchId: string;
  accept: boolean;
}
export type AnswerMatchReturnType = { match: MatchView; deal?: DealView };

/**
 * Confirms or declines a match (POST /v1/matches/:id/answer, 6.4.2), for its supplier and demander;
 * when both confirm, a deal opens and comes back as `deal`.
 *
 * @example
 * await buyer.answerMatch({ matchId, accept: true });
 * const { deal } = await seller.answerMatch({ matchId, accept: true });
 */
export async function answerMatch(
  client: GatewayClientBase,
  parameters: AnswerMatchParameters,
): Promise<AnswerMatchReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.matchId, MATCH_ID_PATTERN, "matchId", "a match id (mat_ and 24 hex digits)");
  assertBoolean(parameters.accept, "accept");
  return client.request<AnswerMatchReturnType>("POST", `/v1/matches/${parameters.matchId}/answer`, {
    accept: parameters.accept,
  });
}
