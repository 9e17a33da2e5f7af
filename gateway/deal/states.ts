import { DEAL_STATES, type DealState } from "tech-transfer-ledger/sdk";

/**
 * The deal as a state machine (clause 6.5–6.10): one table of every move, the
 * states it leaves from, the state it leads to and who may make it. The
 * service, `docs/DEAL.md` and the tests all read this table; nothing else says
 * where a deal may go.
 */

/** Where a deal stands: the SDK's list, which the answers' schemas use too. */
export { DEAL_STATES, type DealState };

/**
 * Who makes a move: a side of the deal, the deal's broker (技术经纪人) or
 * manager (技术经理人), the platform's operator (operator or admin role), the
 * deal's arbitrator, or the gateway itself following the escrow's events.
 */
export const DEAL_ACTORS = ["supplier", "demander", "broker", "manager", "operator", "arbitrator", "escrow"] as const;
export type DealActor = (typeof DEAL_ACTORS)[number];

export interface DealMoveRule {
  from: readonly DealState[];
  to: DealState;
  by: readonly DealActor[];
  /** What the move means, for the documentation and the refusals. */
  meaning: string;
}

const PARTIES = ["supplier", "demander"] as const;
const BEFORE_SIGNING = ["opened", "negotiating", "investigating", "contracting"] as const;

/** Every move of a deal. */
export const DEAL_MOVES = {
  begin_negotiation: {
    from: ["opened"],
    to: "negotiating",
    by: [...PARTIES, "broker"],
    meaning: "first contact is over: formal negotiation begins (6.5)",
  },
  begin_investigation: {
    from: ["negotiating", "contracting"],
    to: "investigating",
    by: [...PARTIES, "broker"],
    meaning: "site visits and evaluation begin (6.6)",
  },
  begin_contracting: {
    from: ["negotiating", "investigating"],
    to: "contracting",
    by: [...PARTIES, "broker"],
    meaning: "the parties draft the technology contract (6.7)",
  },
  resume_negotiation: {
    from: ["investigating", "contracting"],
    to: "negotiating",
    by: [...PARTIES, "broker"],
    meaning: "back to the negotiating table",
  },
  sign: {
    // The escrow is the witness: terms on chain sign the deal wherever the talks had got to.
    from: BEFORE_SIGNING,
    to: "signed",
    by: ["escrow"],
    meaning: "the escrow holds the terms both parties signed (6.7, 6.8.1)",
  },
  begin_performance: {
    from: ["signed"],
    to: "performing",
    by: ["escrow", "manager"],
    meaning: "the first deposit is locked: performance begins (6.8)",
  },
  deliver: {
    from: ["performing"],
    to: "delivered",
    by: ["escrow", "manager"],
    meaning: "every milestone is settled (6.8.2)",
  },
  begin_follow_up: {
    from: ["delivered"],
    to: "following_up",
    by: [...PARTIES, "manager"],
    meaning: "follow-up begins (6.9)",
  },
  close: {
    from: ["delivered", "following_up"],
    to: "closed",
    by: ["manager", "operator"],
    meaning: "the deal is summarised and closed (6.10)",
  },
  archive: {
    from: ["closed", "cancelled"],
    to: "archived",
    by: ["manager", "operator"],
    meaning: "the deal's dossier is archived (6.10)",
  },
  cancel: {
    from: BEFORE_SIGNING,
    to: "cancelled",
    by: [...PARTIES, "operator"],
    meaning: "a party gives up before the contract is signed (after it, the escrow's own cancellation applies)",
  },
  dispute: {
    from: ["signed", "performing", "delivered", "following_up"],
    to: "disputed",
    by: ["escrow"],
    meaning: "a milestone's dispute opened on the escrow",
  },
  resume_performance: {
    from: ["disputed"],
    to: "performing",
    by: ["escrow", "arbitrator", "operator"],
    meaning: "the dispute is settled or ruled and performance goes on",
  },
} as const satisfies Record<string, DealMoveRule>;

export type DealMove = keyof typeof DEAL_MOVES;
export const DEAL_MOVE_NAMES = Object.keys(DEAL_MOVES) as [DealMove, ...DealMove[]];

/** States no move leaves except archiving: nothing but the archive follows. */
export const FINAL_STATES: readonly DealState[] = ["archived"];

export function isDealMove(move: string): move is DealMove {
  return Object.hasOwn(DEAL_MOVES, move);
}

/**
 * The state `move` leads to from `state`, or undefined when the table has no
 * such move from there.
 *
 * @example
 * nextState("opened", "begin_negotiation") // "negotiating"
 * nextState("opened", "sign") // undefined
 */
export function nextState(state: DealState, move: DealMove): DealState | undefined {
  const rule: DealMoveRule = DEAL_MOVES[move];
  return rule.from.includes(state) ? rule.to : undefined;
}

/**
 * Whether any of `actors` may make `move`.
 *
 * @example
 * mayMake(["broker"], "begin_negotiation") // true
 */
export function mayMake(actors: readonly DealActor[], move: DealMove): boolean {
  const rule: DealMoveRule = DEAL_MOVES[move];
  return actors.some((actor) => rule.by.includes(actor));
}

/** The moves that leave `state`, in the table's order. */
export function movesFrom(state: DealState): DealMove[] {
  return DEAL_MOVE_NAMES.filter((move) => nextState(state, move) !== undefined);
}
