import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";

export interface RequestListingAccessParameters {
  listingId: string;
  message?: string;
}
export type RequestListingAccessReturnType = { requestId: string };

/**
 * Asks a listing's owner to see its details (POST /v1/listings/:id/access-requests), for certified
 * users.
 *
 * @example
 * const { requestId } = await me.requestListingAccess({ listingId, message: "We run a recycling line in Rayong" });
 */
export async function requestListingAccess(
  client: GatewayClientBase,
  parameters: RequestListingAccessParameters,
): Promise<RequestListingAccessReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  return client.request<RequestListingAccessReturnType>(
    "POST",
    `/v1/listings/${parameters.listingId}/access-requests`,
    { ...(parameters.message !== undefined ? { message: parameters.message } : {}) },
  );
}
