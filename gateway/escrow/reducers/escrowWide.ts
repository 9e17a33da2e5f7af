import type { RecordInput } from "../../evidence/recorder";
import type { EscrowEvent } from "./types";

/** Events about the escrow as a whole, not one deal. */
export const ESCROW_WIDE_EVENTS = new Set(["Paused", "Unpaused", "DeadlinesExtended", "RoleGranted", "RoleRevoked"]);

/** The admin's pause as the events tell it: since when, by which transaction. */
export interface EscrowPause {
  since: string;
  transactionHash: string;
}

/**
 * An event about the escrow as a whole (the admin's emergency pause, its end with
 * the time every deadline moved, role changes): its record on the escrow's own
 * subject, where anyone finds it, and what it says of the pause: a pause from
 * now (`Paused`), none any more (`null`, `Unpaused`), or nothing (undefined).
 */
export function reduceEscrowWideEvent(
  event: EscrowEvent,
  escrowAddress: string,
): { record: RecordInput; pause?: EscrowPause | null } {
  const record = {
    kind: "escrow.event",
    subject: `escrow:${escrowAddress.toLowerCase()}`,
    data: {
      event: event.event,
      args: event.args,
      transactionHash: event.transactionHash,
      blockNumber: event.blockNumber,
      logIndex: event.logIndex,
      blockTime: event.blockTime,
    },
  };
  if (event.event === "Paused")
    return { record, pause: { since: event.blockTime, transactionHash: event.transactionHash } };
  if (event.event === "Unpaused") return { record, pause: null };
  return { record };
}
