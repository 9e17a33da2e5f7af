import { verifyTypedData, type TypedDataDomain } from "ethers";
import { ESCROW_ACTION_TYPES } from "tech-transfer-ledger/sdk";
import type { EscrowPort } from "../chain/escrow";
import { notFound, unprocessable } from "../errors";
import type { EscrowAgreement } from "./types";

/** A move on a milestone as the one who signs it states it, before the milestone's nonce is read. */
export interface MilestoneActionInput {
  milestone: number;
  action: number;
  data: string;
  release: number;
  refund: number;
  signature: string;
  /** The address the signature must recover to. */
  expected: string;
  /** Whose key that is, for the refusal: "the supplier's key 0x… for this move". */
  expectedName: string;
}

/**
 * Checks a signed `MilestoneAction` against the milestone's current nonce on
 * chain (what the escrow itself will check), for a party's move and the
 * arbitration body's replacement alike: the milestone must exist, the signature
 * must be one and recover to the expected key. Answers the message signed and
 * its signer.
 */
export async function checkSignedMilestoneAction(
  escrow: EscrowPort,
  domain: TypedDataDomain,
  agreement: EscrowAgreement,
  input: MilestoneActionInput,
) {
  const state = await escrow.milestone(agreement.chainDealId, input.milestone);
  if (state.state === "none") {
    throw notFound("MILESTONE_NOT_FOUND", `the deal has ${agreement.milestones.length} milestones, numbered from 0`);
  }
  const message = {
    dealId: agreement.chainDealId,
    milestone: input.milestone,
    action: input.action,
    data: input.data,
    release: input.release,
    refund: input.refund,
    nonce: state.nonce,
  };
  let signer: string;
  try {
    signer = verifyTypedData(domain, ESCROW_ACTION_TYPES, message, input.signature);
  } catch {
    throw unprocessable("SIGNATURE_INVALID", "the signature is not a 65-byte ECDSA signature");
  }
  if (signer.toLowerCase() !== input.expected.toLowerCase()) {
    throw unprocessable(
      "WRONG_SIGNER",
      `the signature does not recover to ${input.expectedName}: sign MilestoneAction ` +
        `{ action ${input.action}, data ${input.data}, release ${input.release}, refund ${input.refund}, nonce ${message.nonce} } (GET /v1/deals/${agreement.dealId}/escrow)`,
    );
  }
  return { message, signer };
}
