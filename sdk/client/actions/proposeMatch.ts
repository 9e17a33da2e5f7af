import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { MatchView } from "../types";

export interface ProposeMatchParameters {
  supplyId: string;
  demandId: string;
  note?: string;
}
export type ProposeMatchReturnType = MatchView;

/**
 * Proposes a match of a supply and a demand (POST /v1/matches): by a listing's owner online, or by a
 * broker recording one made offline (6.4.1).
 *
 * @example
 * const match = await me.proposeMatch({ supplyId, demandId });
 */
export async function proposeMatch(
  client: GatewayClientBase,
  parameters: ProposeMatchParameters,
): Promise<ProposeMatchReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.supplyId, LISTING_ID_PATTERN, "supplyId", "a listing id (lst_ and 24 hex digits)");
  assertMatches(parameters.demandId, LISTING_ID_PATTERN, "demandId", "a listing id (lst_ and 24 hex digits)");
  return client.request<ProposeMatchReturnType>("POST", `/v1/matches`, {
    supplyId: parameters.supplyId,
    demandId: parameters.demandId,
    ...(parameters.note !== undefined ? { note: parameters.note } : {}),
  });
}
