import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { AUCTION_ID_PATTERN } from "../../patterns";
import type { AuctionView } from "../types";

export interface GetAuctionParameters {
  auctionId: string;
}
export type GetAuctionReturnType = AuctionView;

/**
 * An auction (GET /v1/auctions/:id): its bids (bidders by number, to anyone but the seller and staff),
 * end time and outcome.
 *
 * @example
 * const auction = await me.getAuction({ auctionId });
 */
export async function getAuction(
  client: GatewayClientBase,
  parameters: GetAuctionParameters,
): Promise<GetAuctionReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.auctionId, AUCTION_ID_PATTERN, "auctionId", "an auction id (auc_ and 24 hex digits)");
  return client.request<GetAuctionReturnType>("GET", `/v1/auctions/${parameters.auctionId}`);
}
