import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { BYTES32_PATTERN, SEALED_BIDDING_ID_PATTERN } from "../../patterns";
import type { SealedBiddingView } from "../types";

export interface CommitSealedBidParameters {
  biddingId: string;
  /** `sealedBidCommitment` of the bid: 32 bytes as lower-case hex. */
  commitment: string;
}
export type CommitSealedBidReturnType = SealedBiddingView;

/**
 * Commits to a sealed bid before the deadline (POST /v1/biddings/:id/commitments), for certified
 * demanders: only the digest `sealedBidCommitment(bid)` is sent, so nobody, the operator included,
 * sees the amount before the reveal.
 *
 * @example
 * const commitment = sealedBidCommitment({ bidding: biddingId, bidder: me.id, amount, currency: "CNY", salt });
 * await me.commitSealedBid({ biddingId, commitment });
 */
export async function commitSealedBid(
  client: GatewayClientBase,
  parameters: CommitSealedBidParameters,
): Promise<CommitSealedBidReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.biddingId,
    SEALED_BIDDING_ID_PATTERN,
    "biddingId",
    "a sealed bidding id (bid_ and 24 hex digits)",
  );
  assertMatches(parameters.commitment, BYTES32_PATTERN, "commitment", "32 bytes as 0x-prefixed lower-case hex");
  return client.request<CommitSealedBidReturnType>("POST", `/v1/biddings/${parameters.biddingId}/commitments`, {
    commitment: parameters.commitment,
  });
}
