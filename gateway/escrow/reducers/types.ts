import type { EscrowLog } from "../../chain/escrow";
import type { DepositReport, Dispute, EscrowAgreement, FundEvent, Instruction, WebhookMessage } from "../types";

/** An escrow event of one of the platform's deals, as its `escrow.event` record copies it. */
export interface EscrowEvent extends EscrowLog {
  event: string;
  /** The time of its block, ISO 8601. */
  blockTime: string;
}

/**
 * What the gateway holds of one milestone that an event may change, read before
 * the event is applied (reducers read nothing themselves).
 */
export interface MilestoneHoldings {
  agreement: EscrowAgreement;
  milestone: number;
  /** The instruction the bank works on for the milestone now, if any. */
  instruction?: Instruction;
  /** The deposit report a `DepositLocked` attests (found by its bank reference), if the bank reported it. */
  deposit?: DepositReport;
  /** The milestone's dispute, if one was opened. */
  dispute?: Dispute;
  /** What the escrow holds locked now; read for a `DisputeOpened` only (the freeze tells the bank). */
  lockedOnChain?: number;
  /** Id of the record of the gateway's move whose transaction emitted the event, if the gateway sent it. */
  moveRecordId?: string;
}

/** A webhook for the bank, as the dispatcher queues it. */
export interface WebhookDraft {
  type: WebhookMessage["type"];
  payload: Record<string, unknown>;
}

/**
 * What one event changes in the gateway's working copies, written in the same
 * atomic write as the event's record: the reconciliation's fund row, the
 * instructions (whole, as they are to be stored), which instruction is the
 * milestone's current one, the deposit report, the dispute, and the webhooks.
 */
export interface EscrowChanges {
  fundEvent?: FundEvent;
  instructions: Instruction[];
  currentInstruction?: string;
  deposit?: DepositReport;
  dispute?: Dispute;
  webhooks: WebhookDraft[];
}

/** A reducer of one kind of event: the event, what the gateway holds, and its record's id → the changes. */
export type EscrowReducer = (
  event: EscrowEvent,
  holdings: MilestoneHoldings,
  recordId: string,
) => Partial<EscrowChanges>;
