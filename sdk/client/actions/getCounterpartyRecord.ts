import { assertMatches, assertObject } from "../assert";
import { type RiskRecordView } from "../riskSchemas";
import { MATCH_ID_PATTERN } from "../../patterns";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetCounterpartyRecordParameters {
  /** The match (mat_…). */
  matchId: string;
}
export type GetCounterpartyRecordReturnType = RiskRecordView;

/**
 * The record of the other side of a match, as the supplier or the demander before confirming it (GET /v1/matches/:id/counterparty-record).
 *
 * @example
 * const { deals, disputes } = await demander.getCounterpartyRecord({ matchId });
 */
export async function getCounterpartyRecord(
  client: GatewayClientBase,
  parameters: GetCounterpartyRecordParameters,
): Promise<GetCounterpartyRecordReturnType> {
  assertObject(parameters, "parameters");
  const { matchId } = parameters;
  assertMatches(matchId, MATCH_ID_PATTERN, "matchId", "a match id (mat_…)");
  return client.request<GetCounterpartyRecordReturnType>("GET", `/v1/matches/${matchId}/counterparty-record`);
}
