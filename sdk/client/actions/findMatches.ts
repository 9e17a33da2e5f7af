import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { MatchCandidate } from "../types";

export interface FindMatchesParameters {
  listingId: string;
  /** At most 50; 10 by default. */
  limit?: number;
}
export type FindMatchesReturnType = { matches: MatchCandidate[] };

/**
 * Ranked listings of the other side for a listing, each with the reasons for its score (GET
 * /v1/listings/:id/matches), for its owner, brokers and reviewers.
 *
 * @example
 * const { matches } = await me.findMatches({ listingId: demand.id });
 * console.log(matches[0].score, matches[0].reasons);
 */
export async function findMatches(
  client: GatewayClientBase,
  parameters: FindMatchesParameters,
): Promise<FindMatchesReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  const search = new URLSearchParams();
  if (parameters?.limit !== undefined) search.set("limit", String(parameters.limit));
  const query = search.size ? `?${search}` : "";
  return client.request<FindMatchesReturnType>("GET", `/v1/listings/${parameters.listingId}/matches${query}`);
}
