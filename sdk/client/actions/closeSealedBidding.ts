import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SEALED_BIDDING_ID_PATTERN } from "../../patterns";
import type { SealedBiddingView } from "../types";

export interface CloseSealedBiddingParameters {
  biddingId: string;
}
export type CloseSealedBiddingReturnType = SealedBiddingView;

/**
 * Closes a sealed bidding after the reveal deadline (POST /v1/biddings/:id/close), for anyone signed
 * in: the best valid reveal wins a deal.
 *
 * @example
 * const { outcome } = await me.closeSealedBidding({ biddingId });
 */
export async function closeSealedBidding(
  client: GatewayClientBase,
  parameters: CloseSealedBiddingParameters,
): Promise<CloseSealedBiddingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.biddingId,
    SEALED_BIDDING_ID_PATTERN,
    "biddingId",
    "a sealed bidding id (bid_ and 24 hex digits)",
  );
  return client.request<CloseSealedBiddingReturnType>("POST", `/v1/biddings/${parameters.biddingId}/close`);
}
