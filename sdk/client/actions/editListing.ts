import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { ListingContent, ListingView } from "../types";

export interface EditListingParameters {
  listingId: string;
  content: ListingContent;
}
export type EditListingReturnType = ListingView;

/**
 * Edits a listing (PUT /v1/listings/:id): a new version, reviewed again before the public sees it.
 * Only the owner edits.
 *
 * @example
 * await me.editListing({ listingId, content: { ...listing.versions.at(-1)!.content, keywords: ["光伏"] } });
 */
export async function editListing(
  client: GatewayClientBase,
  parameters: EditListingParameters,
): Promise<EditListingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  assertObject(parameters.content, "content");
  return client.request<EditListingReturnType>("PUT", `/v1/listings/${parameters.listingId}`, parameters.content);
}
