import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { ListingView } from "../types";

export interface WithdrawListingParameters {
  listingId: string;
  /** Why, for the record (at most 1,000 characters). */
  reason?: string;
}
export type WithdrawListingReturnType = ListingView;

/**
 * Withdraws a listing (POST /v1/listings/:id/withdrawal): it leaves search and matching. Only the
 * owner withdraws.
 *
 * @example
 * await me.withdrawListing({ listingId, reason: "licensed to another company" });
 */
export async function withdrawListing(
  client: GatewayClientBase,
  parameters: WithdrawListingParameters,
): Promise<WithdrawListingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  return client.request<WithdrawListingReturnType>("POST", `/v1/listings/${parameters.listingId}/withdrawal`, {
    ...(parameters.reason !== undefined ? { reason: parameters.reason } : {}),
  });
}
