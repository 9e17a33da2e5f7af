import { z } from "zod";
import { DEPOSIT_ID_PATTERN, MAX_MILESTONES } from "tech-transfer-ledger/sdk";
import type { BankService } from "../escrow/bank";
import { reconciliationCsv } from "../escrow/reconciliation";
import type { WebhookDispatcher } from "../escrow/webhooks";
import { defineRoute, type Route } from "../http/route";
import { currency, minorUnits } from "../market/schemas";
import { readAccess } from "../auth/policy";

const bank = { roles: ["bank"] as const };
const bankRef = z.string().regex(/^[A-Za-z0-9._/-]{1,31}$/, "the bank's reference: 1–31 letters, digits, . _ / -");
const refusals = {
  400: { description: "Invalid input, or a signed write without Idempotency-Key" },
  401: { description: "Unsigned, badly signed, expired or replayed request" },
  403: { description: "Not the bank" },
  404: { description: "No such deal, milestone or instruction" },
  409: {
    description:
      "The milestone takes no deposit now, the instruction is finished, a reference is used, or the same key is in flight",
  },
  422: { description: "Wrong currency, a deposit below the amount, or the same Idempotency-Key with another body" },
};

/**
 * The supervising bank's API (docs/BANK-API.md). The bank signs every request
 * (HMAC, `signRequest`) and sends an Idempotency-Key with every write.
 */
export function bankRoutes(deps: { bank: BankService; webhooks: WebhookDispatcher }): Route[] {
  const { bank: service, webhooks } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/bank/deposits",
      summary: "Report a deposit received for a milestone (the bank); answers the lock to attest on the escrow",
      tags: ["bank"],
      access: bank,
      idempotent: true,
      commitWithAnswer: true,
      body: z.strictObject({
        dealId: z.string().min(1).max(64),
        milestone: z
          .int()
          .min(0)
          .max(MAX_MILESTONES - 1),
        currency,
        amount: minorUnits.refine((n) => n > 0, "more than zero minor units"),
        bankRef,
        payer: z.string().trim().min(1).max(200).optional(),
      }),
      responses: { 201: { description: "The deposit report and the `lockDeposit` call to make" }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await service.reportDeposit(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/bank/deposits/:id",
      summary: "A deposit report and whether the escrow shows it locked",
      tags: ["bank"],
      access: readAccess.bank,
      params: z.object({ id: z.string().regex(DEPOSIT_ID_PATTERN, "a deposit id") }),
      responses: { 200: { description: "The deposit" }, ...refusals },
      async handler({ params }) {
        return { status: 200, body: { deposit: await service.deposit(params.id) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/bank/instructions",
      summary: "Instructions for the bank: the pending ones to pull (default), or all",
      tags: ["bank"],
      access: readAccess.bank,
      query: z.object({ status: z.enum(["pending", "all"]).default("pending") }),
      responses: { 200: { description: "Instructions, oldest first" }, ...refusals },
      async handler({ query }) {
        const instructions = query.status === "pending" ? await service.pending() : await service.instructions();
        return { status: 200, body: { instructions } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/bank/instructions/:instructionId",
      summary: "One instruction",
      tags: ["bank"],
      access: readAccess.bank,
      params: z.object({ instructionId: z.string().min(1).max(120) }),
      responses: { 200: { description: "The instruction" }, ...refusals },
      async handler({ params }) {
        return { status: 200, body: { instruction: await service.instruction(params.instructionId) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/bank/instructions/:instructionId/status",
      summary:
        "Report an instruction accepted, settled (with the bank's reference) or rejected (with an ISO 20022 reason code)",
      description:
        "A settled or rejected report answers the escrow call the bank makes with its own key (`confirmInstruction`, " +
        "`reportInstructionFailed`). A repeat of the final report answers the same; a contradicting one is refused.",
      tags: ["bank"],
      access: bank,
      idempotent: true,
      commitWithAnswer: true,
      params: z.object({ instructionId: z.string().min(1).max(120) }),
      body: z.strictObject({
        status: z.enum(["accepted", "settled", "rejected"]),
        bankRef: bankRef.optional(),
        reason: z
          .string()
          .regex(/^[A-Z0-9]{4}$/, "an ISO 20022 status reason code: four capitals or digits, such as AC04")
          .optional(),
      }),
      responses: { 200: { description: "The instruction, and the escrow call to make" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await service.reportStatus(principal!, params.instructionId, body) };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/bank/webhook",
      summary: "Set the URL webhooks go to; answers a new signing secret, shown once",
      tags: ["bank"],
      access: bank,
      idempotent: true,
      body: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
      responses: { 200: { description: "The endpoint and its secret" }, ...refusals },
      async handler({ body }) {
        const endpoint = await webhooks.setEndpoint(body.url);
        return { status: 200, body: endpoint, headers: { "Cache-Control": "no-store" } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/bank/webhook/deliveries",
      summary: "The webhook delivery log (newest first) and what waits to be delivered",
      tags: ["bank"],
      access: readAccess.bank,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      responses: { 200: { description: "Attempts and waiting messages" }, ...refusals },
      async handler({ query }) {
        const endpoint = await webhooks.endpoint();
        return {
          status: 200,
          body: {
            endpoint: endpoint?.url,
            attempts: await webhooks.attempts(query.limit),
            waiting: await webhooks.undelivered(query.limit),
          },
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/bank/reconciliation",
      summary: "The daily reconciliation statement (JSON or CSV): fund events, balances per deal, breaks",
      tags: ["bank"],
      access: readAccess.bank,
      query: z.object({
        date: z.iso.date().default(() => new Date().toISOString().slice(0, 10)),
        format: z.enum(["json", "csv"]).default("json"),
      }),
      responses: {
        200: { description: "The statement", contentType: "application/json, text/csv" },
        ...refusals,
      },
      async handler({ query }) {
        const statement = await service.reconciliation(query.date);
        if (query.format === "csv") {
          return {
            status: 200,
            body: reconciliationCsv(statement),
            type: "text/csv; charset=utf-8",
            headers: { "Content-Disposition": `attachment; filename="reconciliation-${query.date}.csv"` },
          };
        }
        return { status: 200, body: statement };
      },
    }),
  ];
}
