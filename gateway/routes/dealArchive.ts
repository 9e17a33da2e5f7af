import { z } from "zod";
import { DEAL_ID_PATTERN, archiveSchema, dealSummaryPartSchema, dealSummarySchema } from "tech-transfer-ledger/sdk";
import { readAccess } from "../auth/policy";
import type { DealArchives } from "../deal/archives";
import type { DealSummaries } from "../deal/summaries";
import { defineRoute, type Route } from "../http/route";

const dealParams = z.object({ id: z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)") });
const line = z.string().trim().min(1).max(2000);
const score = z.int().min(1).max(5);
/** A self-evaluation or a third-party evaluation (6.10). */
const evaluation = z.strictObject({
  wentWell: z.array(line).max(50),
  wentBadly: z.array(line).max(50),
  scores: z.strictObject({
    overall: score,
    communication: score.optional(),
    timeliness: score.optional(),
    quality: score.optional(),
  }),
  comment: z.string().trim().min(1).max(20_000).optional(),
});
const signedIn = { roles: [] as const, anyUser: true };
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a participant of the deal, or not one who may do this (with the reason)" },
  404: { description: "No such deal" },
  409: {
    description:
      "Not possible where the deal stands: `SUMMARY_NOT_DUE` (before delivery), `DEAL_NOT_OPEN` (archived), `SUMMARY_EXISTS`",
  },
};

/** The deal's summary and archive (6.10, docs/ARCHIVE.md). */
export function dealArchiveRoutes(deps: { dealSummaries: DealSummaries; dealArchives: DealArchives }): Route[] {
  const { dealSummaries: summaries, dealArchives: archives } = deps;
  return [
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/summary",
      summary: "The deal's summary so far: the parties' self-evaluations, third-party evaluations, the service summary",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: { 200: { description: "The summary", schema: dealSummarySchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await summaries.get(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/summary/self-evaluation",
      summary: "A party's self-evaluation of the deal: what went well, what did not, scores 1–5 (once per party)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: evaluation,
      responses: { 201: { description: "The self-evaluation", schema: dealSummaryPartSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await summaries.selfEvaluate(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/summary/third-party-evaluation",
      summary: "The evaluation of an evaluator the parties engaged for the deal (once per evaluator)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: evaluation,
      responses: { 201: { description: "The evaluation", schema: dealSummaryPartSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await summaries.evaluate(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/summary/service",
      summary:
        "The service summary of the deal's manager or broker: what was done and the outcome; the time per step is computed from the deal's moves (once per deal)",
      tags: ["deals"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({
        work: z.array(line).min(1).max(100),
        outcome: z.enum(["completed", "partly_completed", "not_completed", "cancelled"]),
        outcomeNote: z.string().trim().min(1).max(20_000).optional(),
      }),
      responses: { 201: { description: "The service summary", schema: dealSummaryPartSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await summaries.summarise(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/archive",
      summary:
        "Download the deal's archive: every record as certificates, every document, the summary (one JSON file, docs/ARCHIVE.md)",
      description:
        "For the parties, the broker, the manager and overseers, once the deal is archived. Built the first time it is asked " +
        "for after the archive move is anchored (409 `ARCHIVE_NOT_READY` with Retry-After before), then kept unchanged; " +
        "verifies offline with `npm run verify -- archive.json --trust trust.json`. 410 `ARCHIVE_PURGED` after a purge.",
      tags: ["deals"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "The archive (format tech-transfer-ledger/deal-archive@1)", schema: archiveSchema },
        ...refusals,
        409: {
          description:
            "`DEAL_NOT_ARCHIVED` (the deal is not archived), `ARCHIVE_NOT_READY` (its records are not anchored yet: Retry-After)",
        },
        410: { description: "`ARCHIVE_PURGED`: purged after its retention period" },
      },
      async handler({ params, principal }) {
        const archive = await archives.download(principal!, params.id);
        return {
          status: 200,
          body: archive.body,
          type: "application/json",
          headers: {
            "Content-Disposition": `attachment; filename="archive-${params.id}.json"`,
            "X-Archive-SHA256": archive.sha256,
            "X-Retain-Until": archive.retainUntil,
          },
        };
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/deals/:id/archive",
      summary: "Purge the deal's kept archive once its retention period is over (operator); the purge is a record",
      tags: ["deals"],
      access: { roles: ["operator", "admin"] },
      params: dealParams,
      responses: {
        200: { description: "The archive's entry after the purge (its digest, retention, the purge's record)" },
        ...refusals,
        409: {
          description:
            "`ARCHIVE_RETAINED` (the retention period is not over: the message says from when it may be purged), `DEAL_NOT_ARCHIVED`",
        },
        410: { description: "`ARCHIVE_PURGED`: purged already" },
      },
      async handler({ params, principal }) {
        return { status: 200, body: await archives.purge(principal!, params.id) };
      },
    }),
  ];
}
