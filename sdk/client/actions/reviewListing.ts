import { assertBoolean, assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { ListingView } from "../types";

export interface ReviewListingParameters {
  listingId: string;
  approved: boolean;
  /** Why a rejection: at most four of the reasons. */
  reasons?: Array<"incomplete" | "uncertified-owner" | "duplicate" | "forbidden-content">;
  note?: string;
}
export type ReviewListingReturnType = ListingView;

/**
 * Approves or rejects a listing's latest version (POST /v1/listings/:id/review), for reviewers; a
 * rejection names its reasons (clause 6.3.3).
 *
 * @example
 * await reviewer.reviewListing({ listingId, approved: true });
 * await reviewer.reviewListing({ listingId, approved: false, reasons: ["incomplete"], note: "no IP records" });
 */
export async function reviewListing(
  client: GatewayClientBase,
  parameters: ReviewListingParameters,
): Promise<ReviewListingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  assertBoolean(parameters.approved, "approved");
  return client.request<ReviewListingReturnType>("POST", `/v1/listings/${parameters.listingId}/review`, {
    approved: parameters.approved,
    ...(parameters.reasons ? { reasons: parameters.reasons } : {}),
    ...(parameters.note !== undefined ? { note: parameters.note } : {}),
  });
}
