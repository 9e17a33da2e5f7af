import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SEALED_BIDDING_ID_PATTERN } from "../../patterns";
import type { SealedBiddingView } from "../types";

export interface GetSealedBiddingParameters {
  biddingId: string;
}
export type GetSealedBiddingReturnType = SealedBiddingView;

/**
 * A sealed bidding (GET /v1/biddings/:id): its commitments, the reveals, and the outcome, which anyone
 * recomputes with `sealedBiddingOutcome`.
 *
 * @example
 * const bidding = await client.getSealedBidding({ biddingId });
 * sealedBiddingOutcome(bidding).winnerId === bidding.outcome?.winnerId; // true
 */
export async function getSealedBidding(
  client: GatewayClientBase,
  parameters: GetSealedBiddingParameters,
): Promise<GetSealedBiddingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.biddingId,
    SEALED_BIDDING_ID_PATTERN,
    "biddingId",
    "a sealed bidding id (bid_ and 24 hex digits)",
  );
  return client.request<GetSealedBiddingReturnType>("GET", `/v1/biddings/${parameters.biddingId}`);
}
