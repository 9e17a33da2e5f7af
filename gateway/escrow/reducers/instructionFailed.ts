import { changed, fundEventOf, nextVersion } from "./common";
import type { EscrowReducer } from "./types";

/** `InstructionFailed`: the bank reported the payment failed, with its ISO 20022 reason code. */
export const instructionFailed: EscrowReducer = (event, holdings, recordId) => {
  const reason = String(event.args.reason);
  const fundEvent = fundEventOf(event, holdings, recordId, { reason });
  if (!holdings.instruction) return { fundEvent };
  const failed = { ...holdings.instruction, chainStatus: "failed" as const, reason };
  return {
    fundEvent,
    instructions: [changed(failed, event.blockTime)],
    webhooks: [{ type: "instruction.updated", payload: { instruction: nextVersion(failed) } }],
  };
};
