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
 * The moves of a milestone by name, as the gateway's API takes them, with the
 * `action` number of the `MilestoneAction` a party signs for each (the order of
 * the contract's `IDealEscrow.Action` enum) and who may make it.
 */
export const ESCROW_ACTIONS = {
  deliver: { action: 1, by: ["supplier"], takes: "statement" },
  accept: { action: 2, by: ["demander"], takes: "nothing" },
  "request-changes": { action: 3, by: ["demander"], takes: "statement" },
  "open-dispute": { action: 4, by: ["supplier", "demander"], takes: "statement" },
  "claim-refund": { action: 5, by: ["demander"], takes: "nothing" },
  cancel: { action: 6, by: ["supplier", "demander"], takes: "nothing" },
  "propose-settlement": { action: 7, by: ["supplier", "demander"], takes: "split" },
  "accept-settlement": { action: 8, by: ["supplier", "demander"], takes: "split" },
  escalate: { action: 9, by: ["supplier", "demander"], takes: "nothing" },
  rule: { action: 10, by: ["arbitrator"], takes: "statement and split" },
  appeal: { action: 11, by: ["supplier", "demander"], takes: "statement" },
} as const satisfies Record<
  string,
  {
    action: number;
    by: ReadonlyArray<"supplier" | "demander" | "arbitrator">;
    takes: "statement" | "split" | "statement and split" | "nothing";
  }
>;

export type EscrowActionName = keyof typeof ESCROW_ACTIONS;

export const ESCROW_ACTION_NAMES = Object.keys(ESCROW_ACTIONS) as [EscrowActionName, ...EscrowActionName[]];

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
