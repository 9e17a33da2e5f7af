import type { EscrowLog, EscrowPort } from "../chain/escrow";
import type { EvidenceRecorder } from "../evidence/recorder";
import { type BatchOperation } from "../store/database";
import { milestoneKey, type EscrowRepository } from "./repository";
import { KeyedLock } from "../util/keyedLock";
import { RetryLoop } from "../util/retryLoop";
import { asciiOf } from "./ascii";
import {
  ESCROW_WIDE_EVENTS,
  reduceEscrowEvent,
  reduceEscrowWideEvent,
  type EscrowChanges,
  type EscrowEvent,
  type MilestoneHoldings,
} from "./reducers";
import type { EscrowTerms } from "./terms";
import { disputeIdOf, type EscrowAgreement } from "./types";
import type { WebhookDispatcher } from "./webhooks";

const pad = (n: number, width = 12) => String(n).padStart(width, "0");

/**
 * Follows the escrow contract: reads its events in chain order and makes each
 * one an evidence record of its deal, together (in the same atomic write) with
 * what it changes in the gateway's working copies: the fund events the
 * reconciliation lists, the instructions for the bank and their webhooks, the
 * deposits the bank reported, and the disputes. A cursor written in that same
 * write makes each event count exactly once, across restarts.
 *
 * Every way a milestone moves (a party's relayed move, the bank's own
 * transaction, anyone triggering a lapsed period) therefore ends up recorded
 * the same way, whoever sent it. What each event changes is said by the pure
 * reducers in `./reducers`; this class reads what they need and writes what
 * they return. When the gateway sent the transaction (a move or a trigger), the
 * move's record is written first and each event's record names it.
 */
export class EscrowEvents {
  private running: Promise<boolean> = Promise.resolve(false);
  private readonly loop: RetryLoop;
  /** Moves the gateway is sending and has not recorded yet (with their transaction, once sent): their events wait. */
  private readonly movesInFlight = new Set<{ transactionHash?: string }>();
  private readonly refusedSubmissions = new Set<string>();
  private readonly log?: (message: string) => void;
  private readonly dealListeners: Array<(dealId: string, event: string, milestone?: number) => Promise<void>> = [];

  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly escrow: EscrowPort,
    private readonly terms: EscrowTerms,
    private readonly webhooks: WebhookDispatcher,
    /** Serialises changes to one milestone's instructions between this and the bank's reports. */
    readonly fundLock: KeyedLock,
    options: { pollMs?: number; log?: (message: string) => void } = {},
  ) {
    this.log = options.log;
    this.loop = new RetryLoop(() => this.step(), {
      name: "escrow events",
      pollMs: options.pollMs ?? 1000,
      minBackoffMs: 500,
      maxBackoffMs: 30_000,
      log: options.log,
    });
  }

  start(): void {
    this.loop.start();
  }

  /**
   * Calls `listener` with each event of a platform deal once the event's record
   * is written, in chain order (the deal workspace moves the deal from them). A
   * listener's failure is logged and does not hold the events up.
   */
  onDealEvent(listener: (dealId: string, event: string, milestone?: number) => Promise<void>): void {
    this.dealListeners.push(listener);
  }

  private async tell(dealId: string, event: string, milestone?: number): Promise<void> {
    for (const listener of this.dealListeners) {
      await listener(dealId, event, milestone).catch((error: Error) =>
        this.log?.(`the deal ${dealId} did not follow the escrow's ${event}: ${error.message}`),
      );
    }
  }

  /** Reads the chain now instead of waiting out a poll or a retry backoff (the chain is back). */
  poke(): void {
    this.loop.poke();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  status() {
    return this.loop.status();
  }

  /**
   * Whether the admin paused the escrow (no money moves until unpaused), since
   * when (the `Paused` event's block time) and by which transaction, as far as
   * the events read so far tell.
   */
  async pause(): Promise<{ paused: boolean; since?: string; transactionHash?: string }> {
    const pause = await this.tables.pause.get();
    return pause ? { paused: true, ...pause } : { paused: false };
  }

  private async step(): Promise<boolean> {
    for (const dealId of await this.terms.awaitingSubmission()) {
      // One deal's terms the escrow refuses (for now) must not hold up the others or the events.
      await this.terms.submit(dealId).catch((error: Error) => {
        if (!this.refusedSubmissions.has(dealId))
          this.log?.(`escrow terms of ${dealId} not on chain yet: ${error.message}`);
        this.refusedSubmissions.add(dealId);
      });
    }
    return this.catchUp();
  }

  /**
   * Holds back the events of a move the gateway is about to send until the
   * hold is released, once the move's record is written: the move's record comes
   * first, and its events' records name it (`moveRecordId`). Until the move's
   * transaction is known (`sent`) every event waits, since with a chain that
   * mines at once its events can be read before the node has answered the send.
   */
  holdForMove(): { sent(transactionHash: string): void; release(): void } {
    const hold: { transactionHash?: string } = {};
    this.movesInFlight.add(hold);
    return {
      sent: (transactionHash) => {
        hold.transactionHash = transactionHash;
      },
      release: () => {
        this.movesInFlight.delete(hold);
      },
    };
  }

  /** Whether `log` waits for the record of the move that caused it (or of a move whose transaction is not known yet). */
  private heldBack(log: EscrowLog): boolean {
    for (const { transactionHash } of this.movesInFlight) {
      if (transactionHash === undefined || transactionHash === log.transactionHash) return true;
    }
    return false;
  }

  /** Ingests every event up to the chain's head; one run at a time. Resolves true when there were any. */
  catchUp(): Promise<boolean> {
    const run = this.running.then(
      () => this.ingest(),
      () => this.ingest(),
    );
    this.running = run.catch(() => false);
    return run;
  }

  private async ingest(): Promise<boolean> {
    // A fresh store starts at the deployment block (the registry's, deployed first): nothing of the
    // escrow's is older, and a long-lived chain is not scanned from its genesis.
    const cursor = (await this.tables.cursor.get()) ?? {
      block: this.escrow.deploymentBlock,
      logIndex: -1,
    };
    let ingested = false;
    for (const log of await this.escrow.logsSince(cursor)) {
      // The gateway's own move is recorded before what it caused: the events wait for its record.
      if (this.heldBack(log)) break;
      await this.ingestOne(log);
      ingested = true;
    }
    return ingested;
  }

  private async ingestOne(log: EscrowLog): Promise<void> {
    const cursorOp = this.tables.cursor.put({ block: log.blockNumber, logIndex: log.logIndex });
    if (log.event && ESCROW_WIDE_EVENTS.has(log.event)) {
      const event = { ...log, event: log.event, blockTime: await this.escrow.blockTime(log.blockNumber) };
      const { record, pause } = reduceEscrowWideEvent(event, this.escrow.address);
      const pauseOps: BatchOperation[] =
        pause === undefined ? [] : pause === null ? [this.tables.pause.del()] : [this.tables.pause.put(pause)];
      await this.recorder.write(async (unit) => {
        await unit.seal(record);
        unit.add(cursorOp, ...pauseOps);
      });
      return;
    }
    const dealId = log.event ? await this.tables.chainDeals.get(String(log.args.dealId)) : undefined;
    const agreement = dealId ? await this.tables.escrows.get(dealId) : undefined;
    // Deals made outside the platform and the deal's creation (recorded when the
    // gateway submitted it) only move the cursor.
    if (!log.event || !agreement || log.event === "DealCreated") {
      await this.tables.database.write([cursorOp]);
      if (agreement && log.event === "DealCreated") await this.tell(agreement.dealId, log.event);
      return;
    }
    const milestone = Number(log.args.milestone);
    const event = { ...log, event: log.event, blockTime: "" };
    await this.fundLock.run([`${agreement.dealId}:${milestone}`], async () => {
      event.blockTime = await this.escrow.blockTime(log.blockNumber);
      const holdings = await this.holdingsFor(event, agreement, milestone);
      const { record, changes } = reduceEscrowEvent(event, holdings);
      await this.recorder.write(async (unit) => {
        const sealed = await unit.seal(record);
        unit.add(cursorOp, ...this.operationsOf(changes(sealed.header.id), agreement, milestone));
      });
    });
    await this.tell(agreement.dealId, event.event, milestone);
  }

  /** What the gateway holds that `event` may change, and the record of the move that caused it. */
  private async holdingsFor(
    event: EscrowEvent,
    agreement: EscrowAgreement,
    milestone: number,
  ): Promise<MilestoneHoldings> {
    const { dealId } = agreement;
    const instructionId = await this.tables.currentInstructions.get(milestoneKey(dealId, milestone));
    const depositId =
      event.event === "DepositLocked"
        ? await this.tables.bankRefs.get(`deposit:${asciiOf(String(event.args.bankRef))}`)
        : undefined;
    const moveRecordId = await this.tables.moveRecords.get(event.transactionHash.toLowerCase());
    return {
      agreement,
      milestone,
      instruction: instructionId ? await this.tables.instructions.get(instructionId) : undefined,
      deposit: depositId ? await this.tables.deposits.get(depositId) : undefined,
      dispute: await this.tables.disputes.get(disputeIdOf(dealId, milestone)),
      // The bank keeps frozen what the escrow holds when the dispute opens.
      lockedOnChain:
        event.event === "DisputeOpened"
          ? (await this.escrow.milestone(agreement.chainDealId, milestone)).locked
          : undefined,
      moveRecordId,
    };
  }

  /** An event's changes as writes to the store. */
  private operationsOf(changes: EscrowChanges, agreement: EscrowAgreement, milestone: number): BatchOperation[] {
    const ops: BatchOperation[] = [];
    const { fundEvent } = changes;
    if (fundEvent) {
      const key = `${pad(fundEvent.blockNumber)}:${pad(fundEvent.logIndex, 6)}`;
      ops.push({ type: "put", sublevel: this.tables.fundEvents, key, value: fundEvent });
    }
    for (const instruction of changes.instructions) {
      ops.push({ type: "put", sublevel: this.tables.instructions, key: instruction.id, value: instruction });
    }
    if (changes.currentInstruction) {
      ops.push(
        this.tables.currentInstructions.put(milestoneKey(agreement.dealId, milestone), changes.currentInstruction),
      );
    }
    if (changes.deposit) {
      ops.push({ type: "put", sublevel: this.tables.deposits, key: changes.deposit.id, value: changes.deposit });
    }
    for (const webhook of changes.webhooks) ops.push(this.webhooks.enqueue(webhook.type, webhook.payload));
    if (changes.dispute) {
      ops.push({ type: "put", sublevel: this.tables.disputes, key: changes.dispute.id, value: changes.dispute });
    }
    return ops;
  }
}
