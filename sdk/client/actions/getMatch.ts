import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { MATCH_ID_PATTERN } from "../../patterns";
import type { MatchView } from "../types";

export interface GetMatchParameters {
  matchId: string;
}
export type GetMatchReturnType = MatchView;

/**
 * A match (GET /v1/matches/:id), for its two sides, its broker and staff.
 *
 * @example
 * const match = await me.getMatch({ matchId });
 */
export async function getMatch(client: GatewayClientBase, parameters: GetMatchParameters): Promise<GetMatchReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.matchId, MATCH_ID_PATTERN, "matchId", "a match id (mat_ and 24 hex digits)");
  return client.request<GetMatchReturnType>("GET", `/v1/matches/${parameters.matchId}`);
}
