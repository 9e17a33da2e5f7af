import { MILESTONE_STATES } from "tech-transfer-ledger/sdk";
import { instructionId, type Instruction } from "../types";
import { changed, fundEventOf, newInstruction } from "./common";
import type { EscrowReducer } from "./types";

/** The kind of payment an instruction is, by the state the escrow moved the milestone to. */
const KIND_OF_STATE: Partial<Record<string, Instruction["kind"]>> = {
  releasing: "release",
  refunding: "refund",
  splitting: "split",
};

/**
 * `InstructionIssued`, `InstructionReissued`: the escrow tells the bank to pay.
 * Each attempt is its own instruction (the escrow counts attempts from 1, the
 * first issue; a reissue emits 2, 3, …) and becomes the milestone's current one;
 * a freeze a dispute asked for gives way to it.
 */
export const instructionIssued: EscrowReducer = (event, holdings, recordId) => {
  const { agreement, milestone, instruction: current } = holdings;
  const kind = KIND_OF_STATE[MILESTONE_STATES[Number(event.args.kind)]]!;
  const attempt = event.event === "InstructionReissued" ? Number(event.args.attempt) : 1;
  const instruction = newInstruction(event, holdings, {
    id: instructionId(agreement.dealId, milestone, attempt, kind),
    attempt,
    kind,
    release: Number(event.args.release),
    refund: Number(event.args.refund),
  });
  const superseded =
    current?.kind === "freeze" ? [changed({ ...current, chainStatus: "superseded" }, event.blockTime)] : [];
  return {
    fundEvent: fundEventOf(event, holdings, recordId, {}),
    instructions: [...superseded, instruction],
    currentInstruction: instruction.id,
    webhooks: [{ type: "instruction.issued", payload: { instruction } }],
  };
};
