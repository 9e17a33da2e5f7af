import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { SealedBiddingView } from "../types";

export interface OpenSealedBiddingParameters {
  listingId: string;
  currency: string;
  reservePrice: number;
  /** An ISO 8601 instant with its offset. */
  commitDeadline: string;
  revealDeadline: string;
}
export type OpenSealedBiddingReturnType = SealedBiddingView;

/**
 * Opens a sealed bidding (竞价) on one's own supply listing (POST /v1/biddings), for suppliers:
 * commitments until `commitDeadline`, reveals until `revealDeadline`.
 *
 * @example
 * const bidding = await seller.openSealedBidding({ listingId, currency: "CNY", reservePrice: 100_000_000,
 *   commitDeadline: inSeconds(10), revealDeadline: inSeconds(20) });
 */
export async function openSealedBidding(
  client: GatewayClientBase,
  parameters: OpenSealedBiddingParameters,
): Promise<OpenSealedBiddingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  return client.request<OpenSealedBiddingReturnType>("POST", `/v1/biddings`, parameters);
}
