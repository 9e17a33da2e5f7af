import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { AuctionView } from "../types";

export interface OpenAuctionParameters {
  listingId: string;
  currency: string;
  startingPrice: number;
  reservePrice: number;
  minIncrement: number;
  /** An ISO 8601 instant with its offset. */
  endsAt: string;
  /** 300 by default; at most 3,600. */
  extensionSeconds?: number;
}
export type OpenAuctionReturnType = AuctionView;

/**
 * Opens an ascending auction (拍卖) on one's own supply listing (POST /v1/auctions), for suppliers.
 * Amounts are integer minor units; a bid in the last `extensionSeconds` pushes the end that far.
 *
 * @example
 * const auction = await seller.openAuction({ listingId, currency: "CNY", startingPrice: 100_000_000, reservePrice: 110_000_000,
 *   minIncrement: 5_000_000, endsAt: new Date(Date.now() + 60_000).toISOString(), extensionSeconds: 30 });
 */
export async function openAuction(
  client: GatewayClientBase,
  parameters: OpenAuctionParameters,
): Promise<OpenAuctionReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  return client.request<OpenAuctionReturnType>("POST", `/v1/auctions`, parameters);
}
