import type { Log, LogDescription, TransactionReceipt } from "ethers";
import { ESCROW_ACTIONS, ESCROW_BODY_ACTIONS, ESCROW_TRIGGERS, MILESTONE_STATES } from "tech-transfer-ledger/sdk";
import type {
  EscrowActionName,
  EscrowBodyActionName,
  EscrowArgumentName,
  EscrowTriggerName,
  MilestoneState,
  DealEscrow,
} from "tech-transfer-ledger/sdk";
import { GatewayError } from "../errors";
import { asciiOf } from "../escrow/ascii";
import { describeChainError, type ChainClient } from "./client";

/** The values of an escrow call's arguments, by the names the SDK's action table gives them. */
export type EscrowCallArguments = Partial<Record<EscrowArgumentName, string | number>>;

/** A call the escrow took: its transaction, and the escrow's events in it, in log order. */
export interface EscrowSent {
  transactionHash: string;
  blockNumber: number;
  events: Array<{ event: string; logIndex: number }>;
}

/** A milestone as the escrow holds it now; amounts in minor units, times on the escrow clock. */
export interface OnChainMilestone {
  state: MilestoneState;
  amount: number;
  locked: number;
  released: number;
  refunded: number;
  deadline: number;
  timer: number;
  changeRounds: number;
  nonce: number;
  release: number;
  refund: number;
  instructionFailed: boolean;
  deliveryDigest: string;
}

/**
 * One log of the escrow, decoded: the event's name and its arguments by name as
 * JSON (integers as decimal strings, `bytes3`/`bytes4` codes as text), exactly as
 * an `escrow.event` record copies them. `event` is undefined for a log the
 * escrow's ABI does not know.
 */
export interface EscrowLog {
  event?: string;
  args: Record<string, unknown>;
  transactionHash: string;
  blockNumber: number;
  logIndex: number;
}

/** Where the escrow's logs were read up to: the last log taken (`logIndex` -1 for none in `block`). */
export interface EscrowCursor {
  block: number;
  logIndex: number;
}

/** Why the escrow refused a move, in words for the person who asked; codes are stable. */
const REFUSALS: Record<string, { status: number; code: string; say: (args: readonly unknown[]) => string }> = {
  DealEscrowDealExists: { status: 409, code: "ESCROW_DEAL_EXISTS", say: () => "the deal is already on chain" },
  DealEscrowUnknownDeal: { status: 404, code: "ESCROW_UNKNOWN_DEAL", say: () => "the deal is not on chain" },
  DealEscrowUnknownMilestone: {
    status: 404,
    code: "MILESTONE_NOT_FOUND",
    say: (a) => `the deal has ${a[2]} milestones, numbered from 0`,
  },
  DealEscrowInvalidParties: {
    status: 422,
    code: "INVALID_PARTIES",
    say: () => "supplier, demander and arbitrator must be three different accounts",
  },
  DealEscrowInvalidDeadline: {
    status: 422,
    code: "DEADLINE_IN_PAST",
    say: (a) => `milestone ${a[1]}'s delivery deadline has passed; propose new terms`,
  },
  DealEscrowNotCertified: {
    status: 422,
    code: "PARTY_NOT_CERTIFIED",
    say: (a) => `the account ${a[1]} is not certified on chain (yet): only certified accounts may enter an escrow`,
  },
  DealEscrowInvalidSignature: {
    status: 422,
    code: "WRONG_SIGNER",
    say: () => "a signature is not the named party's signature of these terms",
  },
  DealEscrowUnauthorized: {
    status: 422,
    code: "WRONG_SIGNER",
    say: (a) => `the move is signed by ${a[1]}, but only ${a[2]} may make it`,
  },
  DealEscrowNotParty: { status: 422, code: "WRONG_SIGNER", say: (a) => `${a[1]} is not a party of the deal` },
  DealEscrowInvalidState: {
    status: 409,
    code: "WRONG_MILESTONE_STATE",
    say: (a) => `milestone ${a[1]} is ${MILESTONE_STATES[Number(a[2])]}: that move is not possible now`,
  },
  DealEscrowTooEarly: {
    status: 409,
    code: "TOO_EARLY",
    say: (a) => `not yet: that move opens after escrow time ${a[2]} (now ${a[3]})`,
  },
  DealEscrowTooLate: {
    status: 409,
    code: "TOO_LATE",
    say: (a) => `too late: that move closed at escrow time ${a[2]} (now ${a[3]})`,
  },
  DealEscrowCurrencyMismatch: {
    status: 422,
    code: "CURRENCY_MISMATCH",
    say: () => "the currency is not the deal's",
  },
  DealEscrowDepositTooSmall: {
    status: 422,
    code: "DEPOSIT_BELOW_AMOUNT",
    say: (a) => `the deposit ${a[3]} is below the milestone's amount ${a[2]}`,
  },
  DealEscrowChangeRoundsExhausted: {
    status: 409,
    code: "CHANGE_ROUNDS_EXHAUSTED",
    say: (a) => `the terms allow ${a[2]} change requests per milestone, all used`,
  },
  DealEscrowSplitMismatch: {
    status: 422,
    code: "SPLIT_DOES_NOT_ADD_UP",
    say: (a) => `release ${a[3]} plus refund ${a[4]} must equal the locked amount ${a[2]}`,
  },
  DealEscrowNoProposal: { status: 409, code: "NO_PROPOSAL", say: () => "there is no settlement proposal to accept" },
  DealEscrowProposalMismatch: {
    status: 409,
    code: "PROPOSAL_MISMATCH",
    say: (a) => `the standing proposal releases ${a[2]}, not ${a[3]}`,
  },
  DealEscrowInstructionFailed: {
    status: 409,
    code: "INSTRUCTION_FAILED",
    say: () => "the bank reported the instruction failed; it must be reissued first",
  },
  DealEscrowInstructionNotFailed: {
    status: 409,
    code: "INSTRUCTION_NOT_FAILED",
    say: () => "only an instruction the bank reported failed can be reissued",
  },
  EnforcedPause: { status: 409, code: "ESCROW_PAUSED", say: () => "the escrow is paused by its admin; try later" },
  DealEscrowArbitratorReplaced: {
    status: 422,
    code: "ARBITRATOR_REPLACED",
    say: (a) => `the arbitration body replaced ${a[1]} by ${a[2]}: ${a[1]} can no longer rule on this deal`,
  },
  DealEscrowInvalidArbitrator: {
    status: 422,
    code: "INVALID_ARBITRATOR",
    say: (a) => `${a[1]} cannot become the arbitrator: a party, the current arbitrator, or one replaced before`,
  },
  AccessControlUnauthorizedAccount: {
    status: 422,
    code: "ROLE_NOT_HELD_ON_CHAIN",
    say: (a) => `the key ${a[0]} does not hold the escrow role this move needs (${a[1]})`,
  },
};

/**
 * The gateway's one door to the escrow contract. Every write goes through
 * {@link EscrowPort.send}: the function and the order of its arguments come from
 * the SDK's action table (`ESCROW_ACTIONS`, `ESCROW_TRIGGERS`), the call is
 * simulated first so that a refusal comes back as a clear 4xx decoded from the
 * revert's custom-error name before anything is sent, then sent and waited for.
 * Reads give plain values (milestones with their state by name, logs decoded as
 * their records copy them), so the services above never touch ethers.
 */
export class EscrowPort {
  private readonly contract: DealEscrow;
  private readonly blockTimes = new Map<number, string>();

  constructor(private readonly chain: ChainClient) {
    this.contract = chain.escrow;
  }

  get address(): string {
    return this.chain.settings.escrowAddress;
  }

  get chainId(): bigint {
    return this.chain.settings.chainId;
  }

  /** The block the platform's contracts were deployed in: nothing of the escrow's is older. */
  get deploymentBlock(): number {
    return this.chain.settings.deploymentBlock ?? 0;
  }

  /**
   * Makes a move (or a trigger) on the escrow. `onSent` is told the transaction's
   * hash as soon as the node took it, before it is mined.
   *
   * @example
   * const sent = await escrow.send("accept", { dealId, milestone: 0, signature });
   * // sent.events: [{ event: "DeliveryAccepted", … }, { event: "InstructionIssued", … }]
   */
  async send(
    name: EscrowActionName | EscrowTriggerName | EscrowBodyActionName,
    args: EscrowCallArguments,
    options: { onSent?: (transactionHash: string) => void } = {},
  ): Promise<EscrowSent> {
    const spec =
      name in ESCROW_ACTIONS
        ? ESCROW_ACTIONS[name as EscrowActionName]
        : name in ESCROW_BODY_ACTIONS
          ? ESCROW_BODY_ACTIONS[name as EscrowBodyActionName]
          : ESCROW_TRIGGERS[name as EscrowTriggerName];
    const positional = spec.args.map((argument) => {
      const value = args[argument];
      if (value === undefined) throw new Error(`${name} (${spec.function}) needs ${argument}`);
      return value;
    });
    return this.call(spec.function, positional, options.onSent);
  }

  /** Puts a deal on the escrow, from terms both parties signed. */
  createDeal(
    terms: Parameters<DealEscrow["createDeal"]>[0],
    supplierSignature: string,
    demanderSignature: string,
  ): Promise<EscrowSent> {
    return this.call("createDeal", [terms, supplierSignature, demanderSignature]);
  }

  /** The milestone as the escrow holds it now (state `none` for one it does not know). */
  async milestone(chainDealId: string, index: number): Promise<OnChainMilestone> {
    const m = await this.contract.milestoneOf(chainDealId, index);
    return {
      state: MILESTONE_STATES[Number(m.state)],
      amount: Number(m.amount),
      locked: Number(m.locked),
      released: Number(m.released),
      refunded: Number(m.refunded),
      deadline: Number(m.deadline),
      timer: Number(m.timer),
      changeRounds: Number(m.changeRounds),
      nonce: Number(m.nonce),
      release: Number(m.release),
      refund: Number(m.refund),
      instructionFailed: m.instructionFailed,
      deliveryDigest: m.deliveryDigest,
    };
  }

  /** How many milestones the deal has on the escrow: 0 when it is not there. */
  async milestoneCount(chainDealId: string): Promise<number> {
    return Number((await this.contract.dealOf(chainDealId)).milestoneCount);
  }

  /** Where the deal was created on the escrow (its `DealCreated` event); undefined when it was not. */
  async creationOf(chainDealId: string): Promise<{ transactionHash: string; blockNumber: number } | undefined> {
    const [created] = await this.contract.queryFilter(this.contract.filters.DealCreated(chainDealId));
    return created ? { transactionHash: created.transactionHash, blockNumber: created.blockNumber } : undefined;
  }

  /** The escrow's clock: block time in seconds, less the time it spent paused. */
  async clock(): Promise<number> {
    return Number(await this.contract.clock());
  }

  /** Every log of the escrow after `cursor`, up to the chain's head, in chain order. */
  async logsSince(cursor: EscrowCursor): Promise<EscrowLog[]> {
    const head = await this.chain.provider.getBlockNumber();
    if (head < cursor.block) return [];
    const logs = await this.chain.provider.getLogs({ address: this.address, fromBlock: cursor.block, toBlock: head });
    return logs
      .filter((log) => log.blockNumber > cursor.block || log.index > cursor.logIndex)
      .map((log) => this.decode(log));
  }

  /** The time of a block, ISO 8601 (cached: events of one block share it). */
  async blockTime(blockNumber: number): Promise<string> {
    let time = this.blockTimes.get(blockNumber);
    if (!time) {
      const block = await this.chain.provider.getBlock(blockNumber);
      time = new Date(Number(block!.timestamp) * 1000).toISOString();
      if (this.blockTimes.size > 1000) this.blockTimes.clear();
      this.blockTimes.set(blockNumber, time);
    }
    return time;
  }

  /** The escrow's refusal as a 4xx error a person understands, when `error` is one of its reverts. */
  refusal(error: unknown): GatewayError | undefined {
    const data = (error as { data?: string }).data;
    if (typeof data !== "string" || data.length < 10) return undefined;
    const parsed = this.contract.interface.parseError(data);
    if (!parsed) return undefined;
    const refusal = REFUSALS[parsed.name];
    if (!refusal) return new GatewayError(409, "ESCROW_REFUSED", `the escrow refused the move (${parsed.name})`);
    return new GatewayError(refusal.status, refusal.code, refusal.say([...parsed.args]));
  }

  /**
   * Sends an escrow transaction the way every escrow write does: simulated first,
   * so a refusal comes back as a clear 4xx before anything is sent; then sent and
   * waited for. A chain that does not answer is a 503 the caller may retry.
   */
  private async call(
    name: string,
    args: readonly unknown[],
    onSent?: (transactionHash: string) => void,
  ): Promise<EscrowSent> {
    const method = this.contract.getFunction(name);
    try {
      await method.staticCall(...args);
    } catch (error) {
      throw this.refusal(error) ?? unavailable(error);
    }
    let receipt: TransactionReceipt;
    try {
      receipt = await this.chain.sendAndWait(async (overrides) => {
        const tx = await method.send(...args, overrides);
        onSent?.(tx.hash);
        return tx;
      });
    } catch (error) {
      throw this.refusal(error) ?? unavailable(error);
    }
    return {
      transactionHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      events: receipt.logs
        .filter((log) => log.address.toLowerCase() === this.address.toLowerCase())
        .map((log) => this.decode(log))
        .filter((log) => log.event !== undefined)
        .map((log) => ({ event: log.event!, logIndex: log.logIndex })),
    };
  }

  private decode(log: Log): EscrowLog {
    const parsed = this.contract.interface.parseLog(log);
    return {
      event: parsed?.name,
      args: parsed ? argsOf(parsed) : {},
      transactionHash: log.transactionHash,
      blockNumber: log.blockNumber,
      logIndex: log.index,
    };
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

function unavailable(error: unknown): GatewayError {
  return new GatewayError(
    503,
    "CHAIN_UNAVAILABLE",
    `the chain did not take the transaction (${describeChainError(error)}); nothing was changed, try again`,
    { headers: { "Retry-After": "5" } },
  );
}
