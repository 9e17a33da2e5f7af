import { z } from "zod";

/**
 * The answers of risk control (docs/RISK.md): a party's record, the rules in
 * force, the alerts' queue and its figures, approvals, the blacklist and bank
 * accounts. The gateway answers with these shapes and the SDK's actions return them.
 */

/** The rules of the rules file, by the names alerts carry. */
export const RISK_RULE_NAMES = [
  "largeDeal",
  "newAccount",
  "changedBeforePayment",
  "failedSignIns",
  "shillBidding",
  "nearDuplicateListing",
  "blacklist",
] as const;
export type RiskRuleNameView = (typeof RISK_RULE_NAMES)[number];

/** Where an alert stands: waiting for staff, accepted (founded), or dismissed (a false positive). */
export const RISK_ALERT_STATUSES = ["open", "accepted", "dismissed"] as const;
export type RiskAlertStatus = (typeof RISK_ALERT_STATUSES)[number];

/** What the blacklist holds: accounts that may not be counter-parties, credit codes that may not certify again. */
export const BLACKLIST_KINDS = ["user", "credit-code"] as const;
export type BlacklistKindView = (typeof BLACKLIST_KINDS)[number];

/** An alert's id: `ra_` and 16 hex digits. */
export const RISK_ALERT_ID_PATTERN = /^ra_[0-9a-f]{16}$/;
/** A blacklist entry's id: `bl_` and 16 hex digits. */
export const BLACKLIST_ENTRY_ID_PATTERN = /^bl_[0-9a-f]{16}$/;

/**
 * A party's record on the platform, as staff and a match's counter-party see it.
 *
 * @example
 * const { deals, disputes } = riskRecordSchema.parse(answer);
 */
export const riskRecordSchema = z
  .object({
    userId: z.string(),
    deals: z.object({
      total: z.int().meta({ description: "Deals the party is the supplier or the demander of" }),
      completed: z.int().meta({ description: "Delivered, in follow-up, closed or archived" }),
      cancelled: z.int(),
      inProgress: z.int(),
    }),
    disputes: z.object({
      opened: z.int().meta({ description: "Disputes the party opened" }),
      lost: z.int().meta({ description: "Disputes of its deals ruled more against it than for it" }),
      total: z.int().meta({ description: "Disputes over milestones of its deals" }),
    }),
    lateDeliveries: z.int().meta({
      description: "Milestones it supplied first delivered after their deliverBy, or still undelivered past it",
    }),
    refunds: z.int().meta({ description: "Milestones it supplied refunded, wholly or in part (escrow events)" }),
    complaints: z.object({
      against: z.int().meta({ description: "Complaints filed against the party" }),
      upheld: z.int().meta({
        description: "Of those, the ones closed: the operator answered and the complainant confirmed the answer",
      }),
    }),
    ratings: z.object({
      count: z.int(),
      mean: z.number().nullable().meta({ description: "Mean score (1–5); null without ratings" }),
    }),
    blacklisted: z.boolean(),
    suspended: z.boolean(),
    openAlerts: z
      .int()
      .meta({ description: "Alerts about the party waiting for staff (staff only; 0 for a counter-party)" }),
    asOf: z.string(),
  })
  .meta({ id: "RiskRecord" });
export type RiskRecordView = z.infer<typeof riskRecordSchema>;

const amounts = z.record(z.string(), z.int());

/**
 * The rules in force, exactly as the rules file holds them (docs/RISK.md), and when they were loaded.
 *
 * @example
 * const { rules } = riskRulesViewSchema.parse(answer);
 */
export const riskRulesViewSchema = z
  .object({
    file: z.string().meta({ description: "The rules file's path on the gateway" }),
    loadedAt: z.string(),
    rules: z.object({
      version: z.literal(1),
      rules: z.object({
        largeDeal: z.object({ enabled: z.boolean(), amountAbove: amounts }),
        newAccount: z.object({ enabled: z.boolean(), certifiedWithinDays: z.number(), amountAbove: amounts }),
        changedBeforePayment: z.object({ enabled: z.boolean(), withinHours: z.number() }),
        failedSignIns: z.object({ enabled: z.boolean(), attempts: z.int(), withinMinutes: z.number() }),
        shillBidding: z.object({
          enabled: z.boolean(),
          action: z.enum(["refuse", "flag"]),
          identifiers: z.array(z.enum(["device", "signingKey", "bankAccount"])),
        }),
        nearDuplicateListing: z.object({ enabled: z.boolean(), similarityAtLeast: z.number() }),
        blacklist: z.object({ enabled: z.boolean() }),
      }),
    }),
  })
  .meta({ id: "RiskRules" });
export type RiskRulesView = z.infer<typeof riskRulesViewSchema>;

/**
 * An alert of the staff's queue, with what it read and, once decided, the decision.
 *
 * @example
 * const alert = riskAlertSchema.parse(answer);
 */
export const riskAlertSchema = z
  .object({
    id: z.string(),
    rule: z.enum(RISK_RULE_NAMES),
    userIds: z.array(z.string()),
    summary: z.string(),
    evidence: z.object({
      recordIds: z.array(z.string()).meta({ description: "The evidence records the rule read" }),
      objects: z.record(z.string(), z.string()).meta({ description: "dealId, auctionId, listingId, address, …" }),
      facts: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]))
        .meta({ description: "What was compared, with the threshold in force" }),
    }),
    outcome: z.enum(["flagged", "refused"]),
    status: z.enum(RISK_ALERT_STATUSES),
    raisedAt: z.string(),
    recordId: z.string(),
    decision: z
      .object({
        decision: z.enum(["accept", "dismiss"]),
        reason: z.string(),
        by: z.string(),
        at: z.string(),
        recordId: z.string(),
      })
      .optional(),
  })
  .meta({ id: "RiskAlert" });
export type RiskAlertView = z.infer<typeof riskAlertSchema>;

/**
 * The queue's figures: alerts per rule, time to decision, false-positive rate (dismissed / decided).
 *
 * @example
 * const { overall } = riskFiguresSchema.parse(answer);
 */
const ruleFigures = z.object({
  raised: z.int(),
  open: z.int(),
  accepted: z.int(),
  dismissed: z.int(),
  medianSecondsToDecision: z.number().nullable(),
  falsePositiveRate: z
    .number()
    .nullable()
    .meta({ description: "dismissed / (accepted + dismissed); null if none decided" }),
});
export const riskFiguresSchema = z
  .object({
    overall: ruleFigures,
    byRule: z.record(z.string(), ruleFigures),
    asOf: z.string(),
  })
  .meta({ id: "RiskFigures" });
export type RiskFiguresView = z.infer<typeof riskFiguresSchema>;

/**
 * A manager's approval of a large deal.
 *
 * @example
 * const approval = dealApprovalSchema.parse(answer);
 */
export const dealApprovalSchema = z
  .object({
    dealId: z.string(),
    total: z.int(),
    currency: z.string(),
    by: z.string(),
    reason: z.string(),
    at: z.string(),
    recordId: z.string(),
  })
  .meta({ id: "DealApproval" });
export type DealApprovalView = z.infer<typeof dealApprovalSchema>;

/**
 * An entry of the blacklist.
 *
 * @example
 * const entry = blacklistEntrySchema.parse(answer);
 */
export const blacklistEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(BLACKLIST_KINDS),
    value: z.string(),
    reason: z.string(),
    addedBy: z.string(),
    addedAt: z.string(),
    recordId: z.string(),
    removal: z.object({ reason: z.string(), by: z.string(), at: z.string(), recordId: z.string() }).optional(),
  })
  .meta({ id: "BlacklistEntry" });
export type BlacklistEntryView = z.infer<typeof blacklistEntrySchema>;

/**
 * A party's declared bank account, as the gateway keeps it (the number itself is not kept).
 *
 * @example
 * const { last4 } = bankAccountSchema.parse(answer);
 */
export const bankAccountSchema = z
  .object({
    userId: z.string(),
    bank: z.string(),
    last4: z.string(),
    digest: z.string(),
    since: z.string(),
    replaced: z.string().optional(),
    recordId: z.string(),
  })
  .meta({ id: "BankAccount" });
export type BankAccountView = z.infer<typeof bankAccountSchema>;
