import { z } from "zod";
import {
  CONTRACT_LANGUAGES,
  CONTRACT_TYPES,
  REGISTRATION_CSV_COLUMNS,
  BYTES32_PATTERN,
  DEAL_ID_PATTERN,
  LANGUAGE_TAG_PATTERN,
  MINUTES_ID_PATTERN,
  SIGNATURE_PATTERN,
  THREAD_ID_PATTERN,
  USER_ID_PATTERN,
  VISIT_ID_PATTERN,
  dealContractSchema,
  dealContractVersionSchema,
  dealEvaluationSchema,
  royaltyStatementSchema,
  dealMessageSchema,
  dealWorkspaceSchema,
  evaluationReportSchema,
  registrationRecordSchema,
  fileInputSchema,
  negotiationMinutesSchema,
  siteVisitSchema,
} from "tech-transfer-ledger/sdk";
import { readAccess } from "../auth/policy";
import type { DealContracts } from "../deal/contracts";
import type { DealEvaluations } from "../deal/evaluations";
import type { DealRoyalties } from "../deal/royalties";
import type { DealNegotiation } from "../deal/negotiation";
import { DEAL_MOVE_NAMES, DEAL_MOVES, DEAL_STATES } from "../deal/states";
import { listContractTemplates, contractTemplate } from "../deal/templates";
import { EVALUATION_KINDS } from "../deal/types";
import { notFound } from "../errors";
import type { DealVisits } from "../deal/visits";
import type { DealWorkspaces } from "../deal/workspace";
import { defineRoute, type Route } from "../http/route";

const dealId = z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)");
const dealParams = z.object({ id: dealId });
const userId = z.string().regex(USER_ID_PATTERN, "a user id (usr_…)");
const line = z.string().trim().min(1).max(2000);
const lines = (max = 50) => z.array(line).max(max);
const when = z.iso.datetime({ offset: true });
const signature = z.string().regex(SIGNATURE_PATTERN, "a 65-byte signature as 0x-prefixed hex");
const toFile = (file: z.infer<typeof fileInputSchema>) => ({
  name: file.name,
  mediaType: file.mediaType,
  bytes: Buffer.from(file.contentBase64, "base64"),
});
/** Messages and visits carry photos and documents; eight files of a few megabytes each, base64-encoded. */
const FILES_BODY_LIMIT = 16 * 1024 * 1024;
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a participant of the deal, or not one who may do this (with the reason)" },
  404: { description: "No such deal, thread, minutes or visit" },
  409: { description: "Not possible where the deal stands (`DEAL_MOVE_NOT_ALLOWED` names the state and the move)" },
  422: { description: "A wrong signer, a user without the role" },
};
const signedIn = { roles: [] as const, anyUser: true };
/** Participants act; the operator (and admins) assign a broker or manager and close, archive or cancel deals. */
const participantsAndOperator = { roles: ["operator", "admin"] as const, anyUser: true };

const contractParams = z.object({ id: dealId, version: z.coerce.number().int().min(1).max(10_000) });
/** A contract's fields: their `type` here, the rest checked by the SDK's schema of that type (422 with every problem). */
const contractFields = z.looseObject({ type: z.enum(CONTRACT_TYPES) }).meta({
  description: "The filled clauses (SDK `contractFieldsSchema`, docs/CONTRACTS.md)",
});

/** The deal workspace (docs/DEAL.md): state machine, participants, negotiation, site visits, evaluation, contract. */
export function dealRoutes(deps: {
  dealWorkspaces: DealWorkspaces;
  dealNegotiation: DealNegotiation;
  dealVisits: DealVisits;
  dealEvaluations: DealEvaluations;
  dealContracts: DealContracts;
  dealRoyalties: DealRoyalties;
}): Route[] {
  const {
    dealWorkspaces: workspaces,
    dealNegotiation: negotiation,
    dealVisits: visits,
    dealEvaluations: evaluations,
    dealContracts: contracts,
    dealRoyalties: royalties,
  } = deps;
  return [
    defineRoute({
      method: "GET",
      path: "/v1/deal-states",
      summary: "The deal's state machine: every move, where it leaves from, where it leads, who makes it",
      tags: ["deals"],
      access: { public: true },
      responses: { 200: { description: "The states and the table of moves" } },
      handler() {
        return { status: 200, body: { states: DEAL_STATES, moves: DEAL_MOVES } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/workspace",
      summary: "A deal's workspace: where it stands, its participants, threads, moves so far, and yours now",
      description:
        "The parties, the deal's broker and manager, its evaluators and arbitrator; overseers read it too. " +
        "The first read of a deal opens the listings' NDA-gated details to the counter-party (a record each).",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: { 200: { description: "The workspace", schema: dealWorkspaceSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await workspaces.view(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/moves",
      summary: "Move the deal in its state machine (GET /v1/deal-states lists the moves and who makes them)",
      tags: ["deals"],
      access: participantsAndOperator,
      params: dealParams,
      body: z.strictObject({ move: z.enum(DEAL_MOVE_NAMES), reason: z.string().trim().max(2000).optional() }),
      responses: { 200: { description: "The workspace after the move", schema: dealWorkspaceSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await workspaces.move(principal!, params.id, body.move, body.reason) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/participants",
      summary:
        "Nominate a broker or manager (both parties naming the same user appoints them), or assign one (operator)",
      tags: ["deals"],
      access: participantsAndOperator,
      params: dealParams,
      body: z.strictObject({ role: z.enum(["broker", "manager"]), userId }),
      responses: { 200: { description: "The workspace", schema: dealWorkspaceSchema }, ...refusals },
      async handler({ params, body, principal }) {
        await workspaces.appoint(principal!, params.id, body.role, body.userId);
        return { status: 200, body: await workspaces.view(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/evaluators",
      summary:
        "Engage an evaluator (a certified account with the evaluator role) for kinds of evaluation (a party, 6.6)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({ userId, kinds: z.array(z.enum(EVALUATION_KINDS)).min(1).max(EVALUATION_KINDS.length) }),
      responses: { 200: { description: "The workspace", schema: dealWorkspaceSchema }, ...refusals },
      async handler({ params, body, principal }) {
        await workspaces.engageEvaluator(principal!, params.id, body.userId, [...new Set(body.kinds)]);
        return { status: 200, body: await workspaces.view(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/threads",
      summary: "Open a message thread in the deal, confidential to the parties, broker and manager if a party says so",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({ title: z.string().trim().min(1).max(200), confidential: z.boolean().default(false) }),
      responses: { 201: { description: "The thread" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await negotiation.openThread(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/deals/:id/threads/:threadId/confidentiality",
      summary: "Make a thread confidential to the deal's parties, broker and manager, or open it again (a party)",
      tags: ["deals"],
      access: signedIn,
      params: z.object({ id: dealId, threadId: z.string().regex(THREAD_ID_PATTERN, "a thread id (thr_…)") }),
      body: z.strictObject({ confidential: z.boolean() }),
      responses: { 200: { description: "The thread" }, ...refusals },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: await negotiation.setConfidential(principal!, params.id, params.threadId, body.confidential),
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/messages",
      summary: "The deal's messages the caller may read, oldest first (confidential threads: parties, broker, manager)",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      query: z.object({ thread: z.string().regex(THREAD_ID_PATTERN, "a thread id (thr_…)").optional() }),
      responses: {
        200: { description: "Messages", schema: z.object({ messages: z.array(dealMessageSchema) }) },
        ...refusals,
      },
      async handler({ params, query, principal }) {
        return { status: 200, body: { messages: await negotiation.messages(principal!, params.id, query.thread) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/messages",
      summary: "Write in the deal (parties, broker, manager): text in any language, photos and documents as files",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      bodyLimit: FILES_BODY_LIMIT,
      idempotent: true,
      body: z.strictObject({
        threadId: z.string().regex(THREAD_ID_PATTERN, "a thread id (thr_…)").optional(),
        text: z.string().trim().min(1).max(20_000),
        language: z.string().regex(LANGUAGE_TAG_PATTERN, "a language tag: zh, en, …"),
        files: z.array(fileInputSchema).max(8).optional(),
      }),
      responses: { 201: { description: "The message", schema: dealMessageSchema }, ...refusals },
      async handler({ params, body, principal }) {
        const message = await negotiation.post(principal!, params.id, { ...body, files: body.files?.map(toFile) });
        return { status: 201, body: message };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/files/:sha256",
      summary: "Download a file of the deal's messages or site visits by its SHA-256 (who reads the message or visit)",
      tags: ["deals"],
      access: readAccess.deals,
      params: z.object({
        id: dealId,
        sha256: z.string().regex(BYTES32_PATTERN, "a SHA-256 digest as 0x-prefixed hex"),
      }),
      responses: {
        200: { description: "The file's bytes", contentType: "application/octet-stream" },
        ...refusals,
      },
      async handler({ params, principal }) {
        const bytes = await negotiation.file(principal!, params.id, params.sha256);
        return { status: 200, body: bytes, type: "application/octet-stream" };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/sessions",
      summary: "Ask the deal's broker to organise a formal negotiation session (a party, 6.5)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({
        agenda: lines(20).min(1),
        proposedTimes: z.array(when).max(10).default([]),
        note: z.string().trim().max(2000).optional(),
      }),
      responses: { 201: { description: "The request" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await negotiation.requestSession(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/sessions",
      summary: "The deal's requests for formal sessions",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: { 200: { description: "Session requests" }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: { sessions: await negotiation.sessionRequests(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/minutes",
      summary: "Record formal negotiation minutes (broker, manager or a party) for both parties to sign",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({
        sessionId: z
          .string()
          .regex(/^ses_[0-9a-f]{16}$/, "a session request id (ses_…)")
          .optional(),
        heldAt: when,
        place: z.string().trim().min(1).max(500),
        agenda: lines().min(1),
        attendees: z
          .array(
            z.strictObject({
              name: z.string().trim().min(1).max(200),
              side: z.enum(["supplier", "demander", "broker", "manager", "other"]),
            }),
          )
          .min(1)
          .max(100),
        agreed: lines(),
        open: lines(),
        nextSteps: lines(),
      }),
      responses: {
        201: { description: "The minutes and their typed data", schema: negotiationMinutesSchema },
        ...refusals,
      },
      async handler({ params, body, principal }) {
        return { status: 201, body: await negotiation.recordMinutes(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/minutes",
      summary: "The deal's negotiation minutes with their signatures",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Minutes", schema: z.object({ minutes: z.array(negotiationMinutesSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { minutes: await negotiation.minutesOf(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/minutes/:minutesId/signatures",
      summary: "Sign the minutes' EIP-712 digest with the key the party signs escrow terms with (a party)",
      tags: ["deals"],
      access: signedIn,
      params: z.object({ id: dealId, minutesId: z.string().regex(MINUTES_ID_PATTERN, "a minutes id (min_…)") }),
      body: z.strictObject({ signature }),
      responses: { 200: { description: "The minutes", schema: negotiationMinutesSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: await negotiation.sign(principal!, params.id, params.minutesId, body.signature),
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/visits",
      summary: "Record a site visit (6.6): who from each side, when, where, what was examined, findings, files",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      bodyLimit: FILES_BODY_LIMIT,
      idempotent: true,
      body: z.strictObject({
        visitedAt: when,
        place: z.string().trim().min(1).max(500),
        visitors: z.strictObject({
          supplier: z.array(z.string().trim().min(1).max(200)).max(50),
          demander: z.array(z.string().trim().min(1).max(200)).max(50),
          others: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
        }),
        examined: lines().min(1),
        findings: z.string().trim().min(1).max(20_000),
        files: z.array(fileInputSchema).max(16).optional(),
      }),
      responses: { 201: { description: "The visit", schema: siteVisitSchema }, ...refusals },
      async handler({ params, body, principal }) {
        const visit = await visits.record(principal!, params.id, { ...body, files: body.files?.map(toFile) });
        return { status: 201, body: visit };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/visits",
      summary: "The deal's site visits with each side's confirmation",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Site visits", schema: z.object({ visits: z.array(siteVisitSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { visits: await visits.list(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/visits/:visitId/confirmations",
      summary: "Confirm a site visit's record, or say it is not right (a party, once)",
      tags: ["deals"],
      access: signedIn,
      params: z.object({ id: dealId, visitId: z.string().regex(VISIT_ID_PATTERN, "a visit id (vis_…)") }),
      body: z.strictObject({ confirmed: z.boolean(), note: z.string().trim().max(2000).optional() }),
      responses: { 200: { description: "The visit", schema: siteVisitSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await visits.confirm(principal!, params.id, params.visitId, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/evaluations",
      summary:
        "Submit an evaluation report (an engaged, certified evaluator, 6.6); a valuation's figures are recomputed",
      description:
        "The report is the SDK's `evaluationReportSchema`. For the cost, market and income approaches the gateway " +
        "recomputes value, low, high (and the working, when given) from the report's inputs with `valueTechnology`; " +
        "a report whose figures disagree is refused with 422 `EVALUATION_FIGURES_DIFFER`, each figure in `error.details`.",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      bodyLimit: FILES_BODY_LIMIT,
      idempotent: true,
      body: z.strictObject({ report: evaluationReportSchema, files: z.array(fileInputSchema).max(16).optional() }),
      responses: { 201: { description: "The evaluation", schema: dealEvaluationSchema }, ...refusals },
      async handler({ params, body, principal }) {
        const evaluation = await evaluations.submit(principal!, params.id, body.report, body.files?.map(toFile));
        return { status: 201, body: evaluation };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/evaluations",
      summary: "The deal's evaluation reports with their value ranges (every participant and overseer)",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Evaluations", schema: z.object({ evaluations: z.array(dealEvaluationSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { evaluations: await evaluations.list(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/royalty-statements",
      summary: "Report a period's sales or profit under a signed royalty contract (the licensee, art. 846)",
      description:
        "The gateway works out the royalty due with the SDK's `royaltyDue` (the contract's rate, exact, rounded " +
        "half up to the minor unit) and keeps the statement as a `royalty.reported` record of the deal. Each period " +
        "is reported once (409 `PERIOD_ALREADY_REPORTED`).",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      idempotent: true,
      body: z.strictObject({
        period: z.strictObject({ from: z.iso.date(), to: z.iso.date() }),
        baseAmount: z.int().min(0).max(Number.MAX_SAFE_INTEGER).meta({
          description: "The period's sales or profit (as the contract says), in minor units",
        }),
        note: z.string().trim().max(2000).optional(),
      }),
      responses: { 201: { description: "The statement", schema: royaltyStatementSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await royalties.report(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/royalty-statements",
      summary: "The deal's royalty statements, oldest period first (every participant and overseer)",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Statements", schema: z.object({ statements: z.array(royaltyStatementSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { statements: await royalties.list(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/contract-templates",
      summary: "The five technology contract templates (Civil Code art. 851–887): type, version, title, clauses",
      tags: ["deals"],
      access: { public: true },
      responses: { 200: { description: "The templates" } },
      handler() {
        return { status: 200, body: { templates: listContractTemplates() } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/contract-templates/:type",
      summary: "One contract template in full: its clauses' texts in Chinese and English with their placeholders",
      tags: ["deals"],
      access: { public: true },
      params: z.object({ type: z.string().max(40) }),
      responses: { 200: { description: "The template" }, 404: { description: "No such contract type" } },
      handler({ params }) {
        const template = contractTemplate(params.type);
        if (!template) throw notFound("NO_SUCH_TEMPLATE", `the contract types are ${CONTRACT_TYPES.join(", ")}`);
        return { status: 200, body: template };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/contract",
      summary: "Draft the deal's technology contract from its type's template (parties, broker, manager; contracting)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({ language: z.enum(CONTRACT_LANGUAGES), fields: contractFields }),
      responses: { 201: { description: "The contract at version 1", schema: dealContractSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await contracts.draft(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/contract",
      summary: "The deal's contract: its versions with what changed, the signatures, and the typed data to sign",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: { 200: { description: "The contract", schema: dealContractSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await contracts.view(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/contract/versions",
      summary: "A new version of the draft (its fields whole); what changed is recorded, signatures start again",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({ language: z.enum(CONTRACT_LANGUAGES).optional(), fields: contractFields }),
      responses: { 201: { description: "The contract", schema: dealContractSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await contracts.revise(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/contract/versions/:version",
      summary: "One version rendered: text (whose SHA-256 is signed), HTML, digest, what changed, typed data",
      tags: ["deals"],
      access: readAccess.deals,
      params: contractParams,
      responses: { 200: { description: "The version", schema: dealContractVersionSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await contracts.version(principal!, params.id, params.version) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/contract/versions/:version/document",
      summary: "One version as a document: HTML (default) or the plain text whose digest is signed (no PDF)",
      tags: ["deals"],
      access: readAccess.deals,
      params: contractParams,
      query: z.object({ format: z.enum(["html", "text"]).default("html") }),
      responses: { 200: { description: "The document", contentType: "text/html, text/plain" }, ...refusals },
      async handler({ params, query, principal }) {
        const version = await contracts.version(principal!, params.id, params.version);
        return query.format === "text"
          ? { status: 200, body: version.text, type: "text/plain; charset=utf-8" }
          : { status: 200, body: version.html, type: "text/html; charset=utf-8" };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/contract/signatures",
      summary: "Sign the last version's EIP-712 digest with the key the party signs escrow terms with (a party)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({ version: z.int().min(1), signature }),
      responses: { 200: { description: "The contract", schema: dealContractSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await contracts.sign(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/contract/registration",
      summary:
        "The signed contract's registration data (技术合同认定登记) as JSON, or CSV (parties, auditor, operator)",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      query: z.object({ format: z.enum(["json", "csv"]).default("json") }),
      responses: {
        200: {
          description: "The registration record",
          schema: registrationRecordSchema,
          contentType: "application/json, text/csv",
        },
        ...refusals,
      },
      async handler({ params, query, principal }) {
        const { json, csv } = await contracts.registration(principal!, params.id);
        if (query.format === "csv") {
          return {
            status: 200,
            body: `${REGISTRATION_CSV_COLUMNS.join(",")}\r\n${csv}\r\n`,
            type: "text/csv; charset=utf-8",
            headers: { "Content-Disposition": `attachment; filename="registration-${params.id}.csv"` },
          };
        }
        return { status: 200, body: json };
      },
    }),
  ];
}
