import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { AUCTION_ID_PATTERN } from "../../patterns";
import type { AuctionView } from "../types";

export interface CloseAuctionParameters {
  auctionId: string;
}
export type CloseAuctionReturnType = AuctionView;

/**
 * Closes an ended auction (POST /v1/auctions/:id/close), for anyone signed in: the best bid at or
 * above the reserve wins a deal.
 *
 * @example
 * const { outcome } = await me.closeAuction({ auctionId });
 * console.log(outcome?.dealId);
 */
export async function closeAuction(
  client: GatewayClientBase,
  parameters: CloseAuctionParameters,
): Promise<CloseAuctionReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.auctionId, AUCTION_ID_PATTERN, "auctionId", "an auction id (auc_ and 24 hex digits)");
  return client.request<CloseAuctionReturnType>("POST", `/v1/auctions/${parameters.auctionId}/close`);
}
