import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";

export interface GetListingParameters {
  listingId: string;
}
export type GetListingReturnType = { id: string; [field: string]: unknown };

/**
 * One listing (GET /v1/listings/:id): everything, with `current` content, for its owner and staff; the
 * public part of the approved version, and the details once granted, for everyone else.
 *
 * @example
 * const listing = await client.getListing({ listingId });
 */
export async function getListing(
  client: GatewayClientBase,
  parameters: GetListingParameters,
): Promise<GetListingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  return client.request<GetListingReturnType>("GET", `/v1/listings/${parameters.listingId}`);
}
