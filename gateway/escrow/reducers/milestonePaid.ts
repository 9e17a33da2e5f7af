import { asciiOf } from "../ascii";
import { changed, fundEventOf, nextVersion } from "./common";
import type { EscrowReducer } from "./types";

/**
 * `MilestoneReleased`, `MilestoneRefunded`, `MilestoneSplit`: the bank confirmed
 * on the escrow that it paid, with its reference. The fund row counts what went
 * to each side; the current instruction is confirmed.
 */
export const milestonePaid: EscrowReducer = (event, holdings, recordId) => {
  const { args } = event;
  const released =
    event.event === "MilestoneReleased"
      ? Number(args.amount)
      : event.event === "MilestoneSplit"
        ? Number(args.released)
        : 0;
  const refunded =
    event.event === "MilestoneRefunded"
      ? Number(args.amount)
      : event.event === "MilestoneSplit"
        ? Number(args.refunded)
        : 0;
  const bankRef = asciiOf(String(args.bankRef));
  const fundEvent = fundEventOf(event, holdings, recordId, { released, refunded, bankRef });
  if (!holdings.instruction) return { fundEvent };
  const confirmed = {
    ...holdings.instruction,
    chainStatus: "confirmed" as const,
    chainRef: bankRef,
    chainTx: event.transactionHash,
  };
  return {
    fundEvent,
    instructions: [changed(confirmed, event.blockTime)],
    webhooks: [{ type: "instruction.updated", payload: { instruction: nextVersion(confirmed) } }],
  };
};
