import type { RecordInput } from "../../evidence/recorder";
import { depositLocked } from "./depositLocked";
import { disputeOpened } from "./disputeOpened";
import { disputeStep } from "./dispute";
import { instructionFailed } from "./instructionFailed";
import { instructionIssued } from "./instructionIssued";
import { milestonePaid } from "./milestonePaid";
import { escrowEventRecord } from "./record";
import type { EscrowChanges, EscrowEvent, EscrowReducer, MilestoneHoldings } from "./types";

export { ESCROW_WIDE_EVENTS, reduceEscrowWideEvent, type EscrowPause } from "./escrowWide";
export type { EscrowChanges, EscrowEvent, MilestoneHoldings } from "./types";

/** What each event of a milestone changes for the bank and the reconciliation; the dispute's reducer sees every event. */
const REDUCERS: Partial<Record<string, EscrowReducer>> = {
  DepositLocked: depositLocked,
  InstructionIssued: instructionIssued,
  InstructionReissued: instructionIssued,
  InstructionFailed: instructionFailed,
  MilestoneReleased: milestonePaid,
  MilestoneRefunded: milestonePaid,
  MilestoneSplit: milestonePaid,
  DisputeOpened: disputeOpened,
};

/**
 * An event of one milestone of a platform deal: its `escrow.event` record, and
 * what it changes in the gateway's working copies given that record's id (the
 * changes go into the record's own atomic write). Pure: `holdings` carries
 * everything it reads.
 *
 * @example
 * const { record, changes } = reduceEscrowEvent(event, holdings);
 * await recorder.write(async (unit) => {
 *   const sealed = await unit.seal(record);
 *   unit.add(...opsOf(changes(sealed.header.id)));
 * });
 */
export function reduceEscrowEvent(
  event: EscrowEvent,
  holdings: MilestoneHoldings,
): { record: RecordInput; changes: (recordId: string) => EscrowChanges } {
  return {
    record: escrowEventRecord(event, holdings.agreement, holdings.milestone, holdings.moveRecordId),
    changes: (recordId) => {
      const own = REDUCERS[event.event]?.(event, holdings, recordId) ?? {};
      const { dispute } = disputeStep(event, holdings, recordId);
      return {
        ...own,
        instructions: own.instructions ?? [],
        webhooks: own.webhooks ?? [],
        ...(dispute && { dispute }),
      };
    },
  };
}
