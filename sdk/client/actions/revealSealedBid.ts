import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { BYTES32_PATTERN, SEALED_BIDDING_ID_PATTERN } from "../../patterns";
import type { SealedBiddingView } from "../types";

export interface RevealSealedBidParameters {
  biddingId: string;
  amount: number;
  /** The 32-byte salt of the commitment. */
  salt: string;
}
export type RevealSealedBidReturnType = SealedBiddingView;

/**
 * Reveals a sealed bid after the commit deadline (POST /v1/biddings/:id/reveals), for its bidder;
 * refused unless it matches the commitment.
 *
 * @example
 * await me.revealSealedBid({ biddingId, amount, salt });
 */
export async function revealSealedBid(
  client: GatewayClientBase,
  parameters: RevealSealedBidParameters,
): Promise<RevealSealedBidReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.biddingId,
    SEALED_BIDDING_ID_PATTERN,
    "biddingId",
    "a sealed bidding id (bid_ and 24 hex digits)",
  );
  assertMatches(parameters.salt, BYTES32_PATTERN, "salt", "32 bytes as 0x-prefixed lower-case hex");
  return client.request<RevealSealedBidReturnType>("POST", `/v1/biddings/${parameters.biddingId}/reveals`, {
    amount: parameters.amount,
    salt: parameters.salt,
  });
}
