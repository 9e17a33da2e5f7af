import { instructionId } from "../types";
import { newInstruction } from "./common";
import type { EscrowReducer } from "./types";

/**
 * `DisputeOpened`, for the bank: every state a dispute can be opened from
 * (locked, delivered) holds money, so the bank is told to keep it frozen until
 * the dispute ends in a payment instruction.
 */
export const disputeOpened: EscrowReducer = (event, holdings) => {
  const { agreement, milestone } = holdings;
  const freeze = newInstruction(event, holdings, {
    id: instructionId(agreement.dealId, milestone, event.blockNumber, "freeze"),
    attempt: 1,
    kind: "freeze",
    release: 0,
    refund: 0,
  });
  return {
    instructions: [freeze],
    currentInstruction: freeze.id,
    webhooks: [{ type: "instruction.issued", payload: { instruction: freeze, lockedAmount: holdings.lockedOnChain } }],
  };
};
