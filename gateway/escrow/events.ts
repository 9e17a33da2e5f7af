import type { Log, LogDescription } from "ethers";
import { MILESTONE_STATES } from "../../sdk";
import type { ChainClient } from "../chain/client";
import type { EvidenceRecorder } from "../evidence/recorder";
import { type BatchOperation } from "../store/database";
import { milestoneKey, type EscrowRepository } from "./repository";
import { KeyedLock } from "../util/keyedLock";
import { asciiOf } from "./ascii";
import { disputeChangeFor } from "./disputeChanges";
import { RetryLoop } from "../util/retryLoop";
import type { EscrowTerms } from "./terms";
import { escrowSubject, instructionId, type EscrowAgreement, type FundEvent, type Instruction } from "./types";
import type { WebhookDispatcher } from "./webhooks";

/** Events about the escrow as a whole, not one deal. */
const ESCROW_WIDE_EVENTS = new Set(["Paused", "Unpaused", "DeadlinesExtended", "RoleGranted", "RoleRevoked"]);
const pad = (n: number, width = 12) => String(n).padStart(width, "0");
const KIND_OF_STATE: Record<string, Instruction["kind"]> = {
  releasing: "release",
  refunding: "refund",
  splitting: "split",
};

/** A bank reference, sent as `bytes32` text. */
const bankRefOf = (hex: string) => asciiOf(hex);

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
 * the same way, whoever sent it.
 */
export class EscrowEvents {
  private running: Promise<boolean> = Promise.resolve(false);
  private readonly loop: RetryLoop;
  private readonly blockTimes = new Map<number, string>();
  private readonly refusedSubmissions = new Set<string>();
  private readonly log?: (message: string) => void;

  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly chain: ChainClient,
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
      block: this.chain.settings.deploymentBlock ?? 0,
      logIndex: -1,
    };
    const head = await this.chain.provider.getBlockNumber();
    if (head < cursor.block) return false;
    const logs = await this.chain.provider.getLogs({
      address: this.chain.settings.escrowAddress,
      fromBlock: cursor.block,
      toBlock: head,
    });
    let ingested = false;
    for (const log of logs) {
      if (log.blockNumber === cursor.block && log.index <= cursor.logIndex) continue;
      await this.ingestOne(log);
      ingested = true;
    }
    return ingested;
  }

  private async ingestOne(log: Log): Promise<void> {
    const parsed = this.chain.escrow.interface.parseLog(log);
    const cursorOp = this.tables.cursor.put({ block: log.blockNumber, logIndex: log.index });
    const dealId =
      parsed && parsed.args.length > 0 ? await this.tables.chainDeals.get(String(parsed.args[0])) : undefined;
    const agreement = dealId ? await this.tables.escrows.get(dealId) : undefined;
    if (parsed && ESCROW_WIDE_EVENTS.has(parsed.name)) {
      // The admin's emergency pause, its end (with the time every deadline moved) and role
      // changes: recorded on the escrow's own subject, where anyone can find them.
      const blockTime = await this.blockTime(log.blockNumber);
      const pauseOp: BatchOperation[] =
        parsed.name === "Paused"
          ? [this.tables.pause.put({ since: blockTime, transactionHash: log.transactionHash })]
          : parsed.name === "Unpaused"
            ? [this.tables.pause.del()]
            : [];
      await this.recorder.record(
        {
          kind: "escrow.event",
          subject: `escrow:${this.chain.settings.escrowAddress.toLowerCase()}`,
          data: {
            event: parsed.name,
            args: argsOf(parsed),
            transactionHash: log.transactionHash,
            blockNumber: log.blockNumber,
            logIndex: log.index,
            blockTime,
          },
        },
        { alsoWrite: [cursorOp, ...pauseOp] },
      );
      return;
    }
    // Deals made outside the platform and the deal's creation (recorded when the
    // gateway submitted it) only move the cursor.
    if (!parsed || !agreement || parsed.name === "DealCreated") {
      await this.tables.database.write([cursorOp]);
      return;
    }
    const milestone = Number(parsed.args[1]);
    await this.fundLock.run([`${agreement.dealId}:${milestone}`], async () => {
      const blockTime = await this.blockTime(log.blockNumber);
      const args = argsOf(parsed);
      const changes = await this.changesFor(parsed, agreement, milestone, log, blockTime);
      const disputeChange = await disputeChangeFor(this.tables, parsed, agreement, milestone, blockTime);
      await this.recorder.record(
        {
          kind: "escrow.event",
          subject: escrowSubject(agreement.dealId),
          data: {
            event: parsed.name,
            dealId: agreement.dealId,
            milestone,
            args,
            transactionHash: log.transactionHash,
            blockNumber: log.blockNumber,
            logIndex: log.index,
            blockTime,
          },
        },
        {
          alsoWrite: (sealed) => [
            cursorOp,
            ...changes(sealed.header.id),
            ...(disputeChange ? [disputeChange(sealed.header.id)] : []),
          ],
        },
      );
    });
  }

  /** What an event changes in the working copies, given the id of its record. */
  private async changesFor(
    event: LogDescription,
    agreement: EscrowAgreement,
    milestone: number,
    log: Log,
    blockTime: string,
  ): Promise<(recordId: string) => BatchOperation[]> {
    const { dealId, currency } = agreement;
    const at = blockTime;
    const fundRow = (recordId: string, row: Partial<FundEvent>): BatchOperation => ({
      type: "put",
      sublevel: this.tables.fundEvents,
      key: `${pad(log.blockNumber)}:${pad(log.index, 6)}`,
      value: {
        event: event.name as FundEvent["event"],
        dealId,
        milestone,
        currency,
        locked: 0,
        released: 0,
        refunded: 0,
        excess: 0,
        transactionHash: log.transactionHash,
        blockNumber: log.blockNumber,
        logIndex: log.index,
        blockTime,
        recordId,
        ...row,
      } satisfies FundEvent,
    });
    const current = await this.currentInstruction(dealId, milestone);
    const a = event.args;
    switch (event.name) {
      case "DepositLocked": {
        const bankRef = bankRefOf(a.bankRef);
        const depositId = await this.tables.bankRefs.get(`deposit:${bankRef}`);
        const deposit = depositId ? await this.tables.deposits.get(depositId) : undefined;
        const lock = {
          transactionHash: log.transactionHash,
          blockNumber: log.blockNumber,
          amount: Number(a.amount),
          excess: Number(a.excess),
        };
        return (recordId) => [
          fundRow(recordId, { locked: Number(a.amount), excess: Number(a.excess), bankRef }),
          ...(deposit
            ? [
                {
                  type: "put" as const,
                  sublevel: this.tables.deposits,
                  key: deposit.id,
                  value: { ...deposit, status: "locked" as const, lock },
                },
              ]
            : []),
          this.webhooks.enqueue("deposit.locked", { dealId, milestone, currency, bankRef, ...lock }),
        ];
      }
      case "InstructionIssued":
      case "InstructionReissued": {
        const kind = KIND_OF_STATE[MILESTONE_STATES[Number(a.kind)]];
        // The escrow counts attempts from 1, the first issue; a reissue emits 2, 3, …
        const attempt = event.name === "InstructionReissued" ? Number(a.attempt) : 1;
        const instruction = newInstruction(agreement, milestone, log, at, {
          id: instructionId(dealId, milestone, attempt, kind),
          attempt,
          kind,
          release: Number(a.release),
          refund: Number(a.refund),
        });
        const ops: BatchOperation[] = [];
        // A payment ends the freeze a dispute asked for.
        if (current?.kind === "freeze") ops.push(this.putInstruction({ ...current, chainStatus: "superseded" }, at));
        return (recordId) => [
          ...ops,
          fundRow(recordId, { released: 0, refunded: 0 }),
          this.putInstruction(instruction, at, false),
          this.tables.currentInstructions.put(milestoneKey(dealId, milestone), instruction.id),
          this.webhooks.enqueue("instruction.issued", { instruction }),
        ];
      }
      case "InstructionFailed": {
        if (!current) return (recordId) => [fundRow(recordId, { reason: asciiOf(a.reason) })];
        const failed = { ...current, chainStatus: "failed" as const, reason: asciiOf(a.reason) };
        return (recordId) => [
          fundRow(recordId, { reason: asciiOf(a.reason) }),
          this.putInstruction(failed, at),
          this.webhooks.enqueue("instruction.updated", { instruction: { ...failed, version: failed.version + 1 } }),
        ];
      }
      case "MilestoneReleased":
      case "MilestoneRefunded":
      case "MilestoneSplit": {
        const released =
          event.name === "MilestoneReleased"
            ? Number(a.amount)
            : event.name === "MilestoneSplit"
              ? Number(a.released)
              : 0;
        const refunded =
          event.name === "MilestoneRefunded"
            ? Number(a.amount)
            : event.name === "MilestoneSplit"
              ? Number(a.refunded)
              : 0;
        const bankRef = bankRefOf(a.bankRef);
        const confirmed = current
          ? { ...current, chainStatus: "confirmed" as const, chainRef: bankRef, chainTx: log.transactionHash }
          : undefined;
        return (recordId) => [
          fundRow(recordId, { released, refunded, bankRef }),
          ...(confirmed
            ? [
                this.putInstruction(confirmed, at),
                this.webhooks.enqueue("instruction.updated", {
                  instruction: { ...confirmed, version: confirmed.version + 1 },
                }),
              ]
            : []),
        ];
      }
      case "DisputeOpened": {
        // Every state a dispute can be opened from (Locked, Delivered) holds money: the bank keeps it frozen.
        const freezeLocked = (await this.chain.escrow.milestoneOf(agreement.chainDealId, milestone)).locked;
        const freeze = newInstruction(agreement, milestone, log, at, {
          id: instructionId(dealId, milestone, log.blockNumber, "freeze"),
          attempt: 1,
          kind: "freeze",
          release: 0,
          refund: 0,
        });
        return () => [
          this.putInstruction(freeze, at, false),
          this.tables.currentInstructions.put(milestoneKey(dealId, milestone), freeze.id),
          this.webhooks.enqueue("instruction.issued", { instruction: freeze, lockedAmount: Number(freezeLocked) }),
        ];
      }
      default:
        return () => [];
    }
  }

  private putInstruction(instruction: Instruction, at: string, bump = true): BatchOperation {
    const value = bump ? { ...instruction, version: instruction.version + 1, updatedAt: at } : instruction;
    return { type: "put", sublevel: this.tables.instructions, key: instruction.id, value };
  }

  private async currentInstruction(dealId: string, milestone: number): Promise<Instruction | undefined> {
    const id = await this.tables.currentInstructions.get(milestoneKey(dealId, milestone));
    return id ? this.tables.instructions.get(id) : undefined;
  }

  private async blockTime(blockNumber: number): Promise<string> {
    let time = this.blockTimes.get(blockNumber);
    if (!time) {
      const block = await this.chain.provider.getBlock(blockNumber);
      time = new Date(Number(block!.timestamp) * 1000).toISOString();
      if (this.blockTimes.size > 1000) this.blockTimes.clear();
      this.blockTimes.set(blockNumber, time);
    }
    return time;
  }
}

/** An event's arguments by name, as JSON. */
function argsOf(event: LogDescription): Record<string, unknown> {
  return Object.fromEntries(
    event.fragment.inputs.map((input, i) => [input.name, stringify(event.args[i], input.type)]),
  );
}

/** An event argument as JSON: integers as decimal strings, bytes3/bytes4 codes as text. */
function stringify(value: unknown, type: string): unknown {
  if (type === "bytes3" || type === "bytes4") return asciiOf(String(value));
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** A new instruction for the bank, pending, from the event that issued it. */
function newInstruction(
  agreement: EscrowAgreement,
  milestone: number,
  log: Log,
  at: string,
  what: Pick<Instruction, "id" | "attempt" | "kind" | "release" | "refund">,
): Instruction {
  return {
    ...what,
    dealId: agreement.dealId,
    milestone,
    currency: agreement.currency,
    supplierId: agreement.supplierId,
    demanderId: agreement.demanderId,
    issuedAt: at,
    issuedTx: log.transactionHash,
    bankStatus: "pending",
    chainStatus: "issued",
    reports: [],
    version: 1,
    updatedAt: at,
  };
}
