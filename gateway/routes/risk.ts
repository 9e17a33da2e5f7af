import { z } from "zod";
import {
  bankAccountSchema,
  blacklistEntrySchema,
  BLACKLIST_ENTRY_ID_PATTERN,
  BLACKLIST_KINDS,
  DEAL_ID_PATTERN,
  dealApprovalSchema,
  MATCH_ID_PATTERN,
  RISK_ALERT_ID_PATTERN,
  RISK_ALERT_STATUSES,
  RISK_RULE_NAMES,
  riskAlertSchema,
  riskFiguresSchema,
  riskRecordSchema,
  riskRulesViewSchema,
  USER_ID_PATTERN,
} from "tech-transfer-ledger/sdk";
import { ADMINISTRATORS } from "../auth/policy";
import type { Role } from "../auth/roles";
import { defineRoute, type Route } from "../http/route";
import type { RiskControl } from "../risk/service";

/**
 * Who works the alerts' queue: the operator and the managers (技术经理人) decide;
 * the auditor and admins read it and its figures. docs/RISK.md.
 */
const RISK_DECIDERS = ["operator", "manager"] as const satisfies readonly Role[];
const RISK_READERS = [...RISK_DECIDERS, "auditor", "admin"] as const satisfies readonly Role[];

const reason = z.string().trim().min(1).max(2000).meta({ description: "Why, for the record" });
const unauthenticated = { description: "No credential, or a bad or expired one" };

/** Risk control (docs/RISK.md): a party's record, the rules, the alerts' queue, approvals, blacklist, bank accounts. */
export function riskRoutes(deps: { risk: RiskControl }): Route[] {
  const { risk } = deps;
  return [
    defineRoute({
      method: "GET",
      path: "/v1/users/:id/risk-record",
      summary: "A party's record: deals, disputes, late deliveries, refunds, complaints, ratings (staff)",
      tags: ["risk"],
      access: { roles: RISK_READERS },
      params: z.object({ id: z.string().regex(USER_ID_PATTERN, "a user id (usr_…)") }),
      responses: {
        200: { description: "The record", schema: riskRecordSchema },
        400: { description: "Not a user id" },
        401: unauthenticated,
        403: { description: "Not the operator, a manager, the auditor or an admin" },
        404: { description: "No such account (`USER_NOT_FOUND`)" },
      },
      handler: async ({ params }) => ({ status: 200, body: await risk.recordOf(params.id) }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/matches/:id/counterparty-record",
      summary: "The record of the other side of a match, for a party about to confirm it",
      description: "Only the supplier and the demander of the match; each reads the other's record, never its own.",
      tags: ["risk"],
      access: { roles: [], anyUser: true },
      params: z.object({ id: z.string().regex(MATCH_ID_PATTERN, "a match id (mat_…)") }),
      responses: {
        200: { description: "The counter-party's record", schema: riskRecordSchema },
        400: { description: "Not a match id" },
        401: unauthenticated,
        403: { description: "Not a party of the match (`NOT_A_PARTY`, or the match's own refusal)" },
        404: { description: "No such match" },
      },
      handler: async ({ params, principal }) => ({
        status: 200,
        body: await risk.counterpartyRecord(principal!, params.id),
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/risk/rules",
      summary: "The risk rules in force, as the rules file holds them",
      tags: ["risk"],
      access: { roles: RISK_READERS },
      responses: {
        200: { description: "The rules", schema: riskRulesViewSchema },
        401: unauthenticated,
        403: { description: "Not the operator, a manager, the auditor or an admin" },
      },
      handler: () => ({ status: 200, body: risk.rules() }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/risk/rules/reload",
      summary: "Reload the rules file (the same as SIGHUP to `npm start`)",
      description:
        "Reads DATA_DIR/risk-rules.json again. A file that is not valid is refused with every problem named " +
        "and the rules in force stay. The reload is a `risk.rules.reloaded` record with the file's SHA-256.",
      tags: ["risk"],
      access: { roles: ADMINISTRATORS },
      body: z.strictObject({}),
      responses: {
        200: { description: "The rules now in force", schema: riskRulesViewSchema },
        401: unauthenticated,
        403: { description: "Not the operator or an admin" },
        422: {
          description: "The file is not valid (`RISK_RULES_INVALID`) or cannot be read (`RISK_RULES_UNREADABLE`)",
        },
      },
      handler: async ({ principal }) => ({ status: 200, body: await risk.reloadRules(principal!.id) }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/risk/alerts",
      summary: "The alerts' queue, newest first",
      tags: ["risk"],
      access: { roles: RISK_READERS },
      query: z.object({
        status: z.enum(RISK_ALERT_STATUSES).optional(),
        rule: z.enum(RISK_RULE_NAMES).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      responses: {
        200: { description: "The alerts", schema: z.object({ alerts: z.array(riskAlertSchema) }) },
        400: { description: "Invalid filter" },
        401: unauthenticated,
        403: { description: "Not the operator, a manager, the auditor or an admin" },
      },
      handler: async ({ query }) => ({ status: 200, body: { alerts: await risk.alerts(query) } }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/risk/alerts/:alertId",
      summary: "One alert with its evidence and decision",
      tags: ["risk"],
      access: { roles: RISK_READERS },
      params: z.object({ alertId: z.string().regex(RISK_ALERT_ID_PATTERN, "an alert id (ra_…)") }),
      responses: {
        200: { description: "The alert", schema: riskAlertSchema },
        400: { description: "Not an alert id" },
        401: unauthenticated,
        403: { description: "Not the operator, a manager, the auditor or an admin" },
        404: { description: "No such alert (`ALERT_NOT_FOUND`)" },
      },
      handler: async ({ params }) => ({ status: 200, body: await risk.alert(params.alertId) }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/risk/alerts/:alertId/decision",
      summary: "Accept an alert (founded) or dismiss it (a false positive), with a reason",
      tags: ["risk"],
      access: { roles: RISK_DECIDERS },
      params: z.object({ alertId: z.string().regex(RISK_ALERT_ID_PATTERN, "an alert id (ra_…)") }),
      body: z.strictObject({ decision: z.enum(["accept", "dismiss"]), reason }),
      responses: {
        200: { description: "The decided alert", schema: riskAlertSchema },
        400: { description: "Invalid input" },
        401: unauthenticated,
        403: { description: "Not the operator or a manager" },
        404: { description: "No such alert (`ALERT_NOT_FOUND`)" },
        409: { description: "Decided already (`ALERT_DECIDED`)" },
      },
      handler: async ({ params, body, principal }) => ({
        status: 200,
        body: await risk.decide(principal!, params.alertId, body.decision, body.reason),
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/risk/figures",
      summary: "Alerts per rule, median time to decision, false-positive rate (dismissed / decided)",
      tags: ["risk"],
      access: { roles: RISK_READERS },
      responses: {
        200: { description: "The figures", schema: riskFiguresSchema },
        401: unauthenticated,
        403: { description: "Not the operator, a manager, the auditor or an admin" },
      },
      handler: async () => ({ status: 200, body: await risk.figures() }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/risk-approval",
      summary: "A manager approves a large deal held by the large-deal rule, so its escrow terms may be proposed",
      tags: ["risk"],
      access: { roles: ["manager"] },
      params: z.object({ id: z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)") }),
      body: z.strictObject({ reason }),
      responses: {
        201: { description: "The approval", schema: dealApprovalSchema },
        400: { description: "Invalid input" },
        401: unauthenticated,
        403: { description: "Not a manager" },
        409: {
          description:
            "The deal was never held for approval (`NO_APPROVAL_PENDING`) or is approved already (`DEAL_APPROVED`)",
        },
      },
      handler: async ({ params, body, principal }) => ({
        status: 201,
        body: await risk.approve(principal!, params.id, body.reason),
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/risk/blacklist",
      summary: "The blacklist, removed entries included",
      tags: ["risk"],
      access: { roles: RISK_READERS },
      responses: {
        200: { description: "The entries", schema: z.object({ entries: z.array(blacklistEntrySchema) }) },
        401: unauthenticated,
        403: { description: "Not the operator, a manager, the auditor or an admin" },
      },
      handler: async () => ({ status: 200, body: { entries: await risk.blacklistEntries() } }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/risk/blacklist",
      summary: "Blacklist an account (no counter-party) or a credit code (no certification), with a reason",
      tags: ["risk"],
      access: { roles: ADMINISTRATORS },
      body: z.strictObject({
        kind: z.enum(BLACKLIST_KINDS),
        value: z.string().trim().min(1).max(64).meta({ description: "A user id, or a unified social credit code" }),
        reason,
      }),
      responses: {
        201: { description: "The entry", schema: blacklistEntrySchema },
        400: { description: "Invalid input" },
        401: unauthenticated,
        403: { description: "Not the operator or an admin" },
        404: { description: "No such account (`USER_NOT_FOUND`)" },
        409: { description: "On the blacklist already (`ALREADY_BLACKLISTED`)" },
        422: { description: "Not a credit code (`CREDIT_CODE_FORMAT`)" },
      },
      handler: async ({ body, principal }) => ({
        status: 201,
        body: await risk.addToBlacklist(principal!, body.kind, body.value, body.reason),
      }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/risk/blacklist/:entryId/removal",
      summary: "Take an entry off the blacklist, with a reason",
      tags: ["risk"],
      access: { roles: ADMINISTRATORS },
      params: z.object({ entryId: z.string().regex(BLACKLIST_ENTRY_ID_PATTERN, "a blacklist entry id (bl_…)") }),
      body: z.strictObject({ reason }),
      responses: {
        200: { description: "The entry, with its removal", schema: blacklistEntrySchema },
        400: { description: "Invalid input" },
        401: unauthenticated,
        403: { description: "Not the operator or an admin" },
        404: { description: "No such entry (`BLACKLIST_ENTRY_NOT_FOUND`)" },
        409: { description: "Removed already (`BLACKLIST_ENTRY_REMOVED`)" },
      },
      handler: async ({ params, body, principal }) => ({
        status: 200,
        body: await risk.removeFromBlacklist(principal!, params.entryId, body.reason),
      }),
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/users/:id/bank-account",
      summary: "Declare the bank account the party is paid to (its owner)",
      description:
        "Only the number's SHA-256 digest and last four digits are kept. A change shortly before a payment, and " +
        "one account behind two bidders of an auction, raise alerts (docs/RISK.md).",
      tags: ["risk"],
      access: { roles: [], owner: (params) => params.id },
      params: z.object({ id: z.string().regex(USER_ID_PATTERN, "a user id (usr_…)") }),
      body: z.strictObject({
        bank: z.string().trim().min(1).max(200).meta({ description: "The bank and branch" }),
        accountNumber: z
          .string()
          .trim()
          .min(1)
          .max(64)
          .meta({ description: "8 to 34 digits; spaces and dashes allowed" }),
      }),
      responses: {
        200: { description: "The account as kept", schema: bankAccountSchema },
        400: { description: "Invalid input" },
        401: unauthenticated,
        403: { description: "Not the account's owner" },
        422: { description: "Not an account number (`BANK_ACCOUNT_FORMAT`)" },
      },
      handler: async ({ params, body }) => ({
        status: 200,
        body: await risk.declareBankAccount(params.id, body.bank, body.accountNumber),
      }),
    }),
    defineRoute({
      method: "GET",
      path: "/v1/users/:id/bank-account",
      summary: "The bank account a party declared (its owner, and risk staff)",
      tags: ["risk"],
      access: { roles: RISK_READERS, owner: (params) => params.id },
      params: z.object({ id: z.string().regex(USER_ID_PATTERN, "a user id (usr_…)") }),
      responses: {
        200: { description: "The account as kept", schema: bankAccountSchema },
        400: { description: "Not a user id" },
        401: unauthenticated,
        403: { description: "Neither the owner nor risk staff" },
        404: { description: "No account declared (`NO_BANK_ACCOUNT`)" },
      },
      handler: async ({ params }) => ({ status: 200, body: await risk.bankAccount(params.id) }),
    }),
  ];
}
