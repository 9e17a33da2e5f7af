import type { FundEvent, Instruction } from "../types";
import type { EscrowEvent, MilestoneHoldings } from "./types";

/** The reconciliation's row of a fund event: nothing moved unless `row` says so. */
export function fundEventOf(
  event: EscrowEvent,
  { agreement, milestone }: MilestoneHoldings,
  recordId: string,
  row: Partial<FundEvent>,
): FundEvent {
  return {
    event: event.event as FundEvent["event"],
    dealId: agreement.dealId,
    milestone,
    currency: agreement.currency,
    locked: 0,
    released: 0,
    refunded: 0,
    excess: 0,
    transactionHash: event.transactionHash,
    blockNumber: event.blockNumber,
    logIndex: event.logIndex,
    blockTime: event.blockTime,
    recordId,
    ...row,
  };
}

/** A new instruction for the bank, pending, from the event that issued it. */
export function newInstruction(
  event: EscrowEvent,
  { agreement, milestone }: MilestoneHoldings,
  what: Pick<Instruction, "id" | "attempt" | "kind" | "release" | "refund">,
): Instruction {
  return {
    ...what,
    dealId: agreement.dealId,
    milestone,
    currency: agreement.currency,
    supplierId: agreement.supplierId,
    demanderId: agreement.demanderId,
    issuedAt: event.blockTime,
    issuedTx: event.transactionHash,
    bankStatus: "pending",
    chainStatus: "issued",
    reports: [],
    version: 1,
    updatedAt: event.blockTime,
  };
}

/** An instruction changed by an event: one version later, updated at the event's block time. */
export const changed = (instruction: Instruction, at: string): Instruction => ({
  ...instruction,
  version: instruction.version + 1,
  updatedAt: at,
});

/** What an `instruction.updated` webhook carries of a changed instruction: its next version. */
export const nextVersion = (instruction: Instruction): Instruction => ({
  ...instruction,
  version: instruction.version + 1,
});
