import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { ACCESS_REQUEST_ID_PATTERN, LISTING_ID_PATTERN } from "../../patterns";
import type { ListingView } from "../types";

export interface GrantListingAccessParameters {
  listingId: string;
  requestId: string;
}
export type GrantListingAccessReturnType = ListingView;

/**
 * Grants a request to see a listing's details (POST …/access-requests/:requestId/grant), for its
 * owner; the grant is an evidence record.
 *
 * @example
 * await owner.grantListingAccess({ listingId, requestId });
 */
export async function grantListingAccess(
  client: GatewayClientBase,
  parameters: GrantListingAccessParameters,
): Promise<GrantListingAccessReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  assertMatches(
    parameters.requestId,
    ACCESS_REQUEST_ID_PATTERN,
    "requestId",
    "an access request id (acr_ and 16 hex digits)",
  );
  return client.request<GrantListingAccessReturnType>(
    "POST",
    `/v1/listings/${parameters.listingId}/access-requests/${parameters.requestId}/grant`,
  );
}
