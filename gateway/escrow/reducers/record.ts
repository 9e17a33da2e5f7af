import type { RecordInput } from "../../evidence/recorder";
import { escrowSubject, type EscrowAgreement } from "../types";
import type { EscrowEvent } from "./types";

/**
 * The `escrow.event` record of an event of a platform deal: a copy of the log
 * (name, arguments by name, transaction, block, log index, block time) on the
 * deal's subject, and, when the gateway sent the transaction for a party's move
 * or a trigger, the id of that move's record (`moveRecordId`).
 */
export function escrowEventRecord(
  event: EscrowEvent,
  agreement: EscrowAgreement,
  milestone: number,
  moveRecordId?: string,
): RecordInput {
  return {
    kind: "escrow.event",
    subject: escrowSubject(agreement.dealId),
    data: {
      event: event.event,
      dealId: agreement.dealId,
      milestone,
      args: event.args,
      transactionHash: event.transactionHash,
      blockNumber: event.blockNumber,
      logIndex: event.logIndex,
      blockTime: event.blockTime,
      ...(moveRecordId ? { moveRecordId } : {}),
    },
  };
}
