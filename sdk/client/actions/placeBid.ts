import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { AUCTION_ID_PATTERN } from "../../patterns";
import type { AuctionView } from "../types";

export interface PlaceBidParameters {
  auctionId: string;
  /** Integer minor units. */
  amount: number;
}
export type PlaceBidReturnType = AuctionView;

/**
 * Bids in an auction (POST /v1/auctions/:id/bids), for certified demanders: at least the highest bid
 * plus the increment. A late bid extends the end.
 *
 * @example
 * const { endsAt } = await me.placeBid({ auctionId, amount: 115_000_000 });
 */
export async function placeBid(client: GatewayClientBase, parameters: PlaceBidParameters): Promise<PlaceBidReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.auctionId, AUCTION_ID_PATTERN, "auctionId", "an auction id (auc_ and 24 hex digits)");
  return client.request<PlaceBidReturnType>("POST", `/v1/auctions/${parameters.auctionId}/bids`, {
    amount: parameters.amount,
  });
}
