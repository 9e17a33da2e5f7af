/**
 * Most milestones a deal's escrow may have: the DealEscrow contract's
 * `MAX_MILESTONES()` (a test checks the two agree). The gateway refuses terms
 * with more before anyone signs them.
 *
 * @example
 * if (milestones.length > MAX_MILESTONES) throw new RangeError("too many milestones");
 */
export const MAX_MILESTONES = 32;

/**
 * The arguments an escrow call takes, by name. A table entry lists the ones its
 * contract function takes, in the function's order; whoever sends the call fills
 * them from one object (the gateway's escrow port does).
 */
export type EscrowArgumentName =
  | "dealId"
  | "milestone"
  | "data"
  | "release"
  | "refund"
  | "signature"
  | "supplierSignature"
  | "demanderSignature"
  | "arbitrator";

/** Who may make a move: a party or the arbitrator, as named in the deal's terms. */
export type EscrowActor = "supplier" | "demander" | "arbitrator";

interface EscrowActionSpec {
  /** The `IDealEscrow.Action` number a party signs in `MilestoneAction`. */
  action: number;
  /** Who may sign it; the escrow contract refuses anyone else (`DealEscrowUnauthorized`, `DealEscrowNotParty`). */
  by: readonly EscrowActor[];
  /** What the move carries besides its signature. */
  takes: "statement" | "split" | "statement and split" | "nothing";
  /** The escrow function that makes the move. */
  function: string;
  /** That function's arguments, in order. */
  args: readonly EscrowArgumentName[];
  /** Whether the move belongs to the milestone's dispute (it moves one, or opens one). */
  dispute: boolean;
}

/**
 * The moves of a milestone by name, as the gateway's API takes them: the one
 * place that says which escrow function makes each, with which arguments in
 * which order, the `action` number of the `MilestoneAction` a party signs for it
 * (the order of the contract's `IDealEscrow.Action` enum), and who may make it.
 * A cancellation needs both parties' signatures (`supplierSignature`,
 * `demanderSignature`); every other move one signature, its mover's.
 *
 * @example
 * const { function: name, args, by } = ESCROW_ACTIONS.accept;
 * // "acceptDelivery", ["dealId", "milestone", "signature"], ["demander"]
 */
export const ESCROW_ACTIONS = {
  deliver: {
    action: 1,
    by: ["supplier"],
    takes: "statement",
    function: "deliver",
    args: ["dealId", "milestone", "data", "signature"],
    dispute: false,
  },
  accept: {
    action: 2,
    by: ["demander"],
    takes: "nothing",
    function: "acceptDelivery",
    args: ["dealId", "milestone", "signature"],
    dispute: false,
  },
  "request-changes": {
    action: 3,
    by: ["demander"],
    takes: "statement",
    function: "requestChanges",
    args: ["dealId", "milestone", "data", "signature"],
    dispute: false,
  },
  "open-dispute": {
    action: 4,
    by: ["supplier", "demander"],
    takes: "statement",
    function: "openDispute",
    args: ["dealId", "milestone", "data", "signature"],
    dispute: true,
  },
  "claim-refund": {
    action: 5,
    by: ["demander"],
    takes: "nothing",
    function: "claimRefund",
    args: ["dealId", "milestone", "signature"],
    dispute: false,
  },
  cancel: {
    action: 6,
    by: ["supplier", "demander"],
    takes: "nothing",
    function: "cancelMilestone",
    args: ["dealId", "milestone", "supplierSignature", "demanderSignature"],
    dispute: false,
  },
  "propose-settlement": {
    action: 7,
    by: ["supplier", "demander"],
    takes: "split",
    function: "proposeSettlement",
    args: ["dealId", "milestone", "release", "refund", "signature"],
    dispute: true,
  },
  "accept-settlement": {
    action: 8,
    by: ["supplier", "demander"],
    takes: "split",
    function: "acceptSettlement",
    args: ["dealId", "milestone", "release", "refund", "signature"],
    dispute: true,
  },
  escalate: {
    action: 9,
    by: ["supplier", "demander"],
    takes: "nothing",
    function: "escalate",
    args: ["dealId", "milestone", "signature"],
    dispute: true,
  },
  rule: {
    action: 10,
    by: ["arbitrator"],
    takes: "statement and split",
    function: "rule",
    args: ["dealId", "milestone", "release", "refund", "data", "signature"],
    dispute: true,
  },
  appeal: {
    action: 11,
    by: ["supplier", "demander"],
    takes: "statement",
    function: "appeal",
    args: ["dealId", "milestone", "data", "signature"],
    dispute: true,
  },
} as const satisfies Record<string, EscrowActionSpec>;

export type EscrowActionName = keyof typeof ESCROW_ACTIONS;

export const ESCROW_ACTION_NAMES = Object.keys(ESCROW_ACTIONS) as [EscrowActionName, ...EscrowActionName[]];

/**
 * What moves a milestone without a party's signature, by name: a release after
 * a lapsed inspection and a final ruling after a lapsed appeal window (anyone
 * may send them), and the reissue of a payment the bank reported failed (the
 * operator only).
 *
 * @example
 * const { function: name, args } = ESCROW_TRIGGERS.finalize; // "finalizeRuling", ["dealId", "milestone"]
 */
export const ESCROW_TRIGGERS = {
  release: { function: "releaseAfterInspection", args: ["dealId", "milestone"], by: "anyone" },
  finalize: { function: "finalizeRuling", args: ["dealId", "milestone"], by: "anyone" },
  reissue: { function: "reissueInstruction", args: ["dealId", "milestone"], by: "operator" },
} as const satisfies Record<
  string,
  { function: string; args: readonly EscrowArgumentName[]; by: "anyone" | "operator" }
>;

export type EscrowTriggerName = keyof typeof ESCROW_TRIGGERS;

/**
 * The arbitration body's move: the arbitration institution (its key holds the
 * escrow's `ARBITRATION_ROLE`, which only the institution appoints) replaces the
 * deal's arbitrator once the ruling period of a milestone in arbitration lapsed.
 * It signs `MilestoneAction` with this `action`, `data` the new arbitrator's
 * address left-padded to 32 bytes ({@link arbitratorReplacementData}), release
 * and refund 0, and the milestone's nonce; the operator relays it.
 *
 * @example
 * const { function: name, args } = ESCROW_BODY_ACTIONS["replace-arbitrator"];
 * // "replaceArbitrator", ["dealId", "milestone", "arbitrator", "signature"]
 */
export const ESCROW_BODY_ACTIONS = {
  "replace-arbitrator": {
    action: 12,
    by: "arbitration body",
    function: "replaceArbitrator",
    args: ["dealId", "milestone", "arbitrator", "signature"],
  },
} as const satisfies Record<
  string,
  { action: number; by: "arbitration body"; function: string; args: readonly EscrowArgumentName[] }
>;

export type EscrowBodyActionName = keyof typeof ESCROW_BODY_ACTIONS;

/**
 * The `data` of a signed `ReplaceArbitrator` move: the new arbitrator's address,
 * left-padded with zeros to 32 bytes, lower-case hex.
 *
 * @example
 * arbitratorReplacementData("0x00000000000000000000000000000000000000aa");
 * // "0x00000000000000000000000000000000000000000000000000000000000000aa"
 */
export function arbitratorReplacementData(arbitrator: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(arbitrator)) throw new TypeError(`arbitrator: not an address: ${arbitrator}`);
  return `0x${"0".repeat(24)}${arbitrator.slice(2).toLowerCase()}`;
}

/** The milestone states of `IDealEscrow.State`, by their number. */
export const MILESTONE_STATES = [
  "none",
  "pending",
  "locked",
  "delivered",
  "disputed",
  "arbitration",
  "ruled",
  "releasing",
  "refunding",
  "splitting",
  "released",
  "refunded",
  "split",
  "cancelled",
] as const;

export type MilestoneState = (typeof MILESTONE_STATES)[number];
