import { z } from "zod";
import type { EvidenceCertificate } from "./types";

/**
 * Schema of the dispute summary a dossier carries: nothing in it is the gateway's
 * word. Every value is derived from the dossier's own records (the escrow's events
 * as the gateway recorded them, each anchored) by {@link summarizeDispute}, and a
 * verifier derives it again and refuses a dossier whose summary differs.
 * Amounts are integer minor units as decimal strings; times are the blocks' (ISO 8601).
 */
export const disputeSummarySchema = z.strictObject({
  /** `<dealId>.m<milestone>`. */
  id: z.string().min(1),
  dealId: z.string().min(1),
  milestone: z.int().min(0),
  status: z.enum(["open", "settled", "arbitration", "ruled", "appealed", "final", "cancelled"]),
  /** Address of the party that opened the dispute. */
  openedBy: z.string(),
  openedAt: z.string(),
  reasonDigest: z.string(),
  proposal: z.strictObject({ by: z.string(), release: z.string(), refund: z.string(), at: z.string() }).optional(),
  settlement: z.strictObject({ release: z.string(), refund: z.string(), at: z.string() }).optional(),
  /** The escrow's clock (seconds) by which the arbitrator must rule. */
  rulingDeadline: z.int().optional(),
  ruling: z
    .strictObject({
      release: z.string(),
      refund: z.string(),
      digest: z.string(),
      at: z.string(),
      /** The escrow's clock (seconds) at which the appeal window closes; absent for a final ruling. */
      appealEnds: z.int().optional(),
      final: z.boolean(),
    })
    .optional(),
  appeal: z.strictObject({ by: z.string(), groundsDigest: z.string(), at: z.string() }).optional(),
  /**
   * The arbitration body's replacements of the deal's arbitrator on this milestone, in order: who
   * was replaced (`previous`) by whom (`next`), the body's key that did it (`by`), and the new
   * ruling deadline (escrow clock). Absent when the arbitrator was never replaced here.
   */
  arbitratorReplacements: z
    .array(
      z.strictObject({
        previous: z.string(),
        next: z.string(),
        by: z.string(),
        rulingDeadline: z.int(),
        at: z.string(),
      }),
    )
    .optional(),
  /** Ids of the records of the dispute's steps, in subject order. */
  recordIds: z.array(z.string()),
});

/** A dossier's dispute summary, derived from its records. */
export type DisputeSummary = z.infer<typeof disputeSummarySchema>;

/** What {@link summarizeDispute} reads of a record: its header and its disclosed values. */
export interface SummarizedRecord {
  header: { id: string; kind: string };
  data: Record<string, unknown>;
}

/**
 * What {@link summarizeDispute} reads of a certificate: its header and the values it
 * discloses (a dossier discloses them all).
 *
 * @example
 * const summary = summarizeDispute(dossier.certificates.map(summarizedRecordOf), 0);
 */
export function summarizedRecordOf(certificate: Pick<EvidenceCertificate, "record">): SummarizedRecord {
  const { header, fields } = certificate.record;
  const valueOf = (field: (typeof fields)[string]) => ("value" in field ? field.value : undefined);
  return { header, data: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, valueOf(field)])) };
}

/** The escrow events that move a dispute, and those of the bank's execution of its outcome. */
const DISPUTE_EVENTS = new Set([
  "DisputeOpened",
  "SettlementProposed",
  "SettlementAccepted",
  "DisputeEscalated",
  "RulingIssued",
  "RulingAppealed",
  "RulingFinalized",
  "MilestoneCancelled",
  "ArbitratorReplaced",
]);
const EXECUTION_EVENT = /^(Instruction|Milestone(Released|Refunded|Split))/;

/**
 * The dispute of `milestone` as the records tell it: opened, settlement proposed
 * and accepted, escalated, its arbitrator replaced by the arbitration body, ruled,
 * appealed, final, or cancelled, with the amounts
 * and digests the escrow emitted, and the ids of the records of its steps
 * (`escrow.event` records of the milestone from its opening on, and the
 * `negotiation.recorded` records naming the dispute). Undefined when no dispute
 * was opened on that milestone. A dispute opened again after an earlier one ended
 * starts afresh. It is {@link reduceDispute} over the records, in order.
 *
 * @example
 * const summary = summarizeDispute(dossier.certificates.map(summarizedRecordOf), 0);
 */
export function summarizeDispute(records: readonly SummarizedRecord[], milestone: number): DisputeSummary | undefined {
  let summary: DisputeSummary | undefined;
  // One summary, advanced in place: a dossier may hold thousands of records.
  for (const record of records) summary = advance(summary, record, milestone);
  return summary;
}

/**
 * One step of {@link summarizeDispute}: the summary after `record`, a new object
 * when the record is one of the dispute's steps, `summary` itself (unchanged)
 * when it is not. What the gateway keeps of a dispute is this, applied event by
 * event as it records them.
 *
 * @example
 * const next = reduceDispute(current, { header: { id, kind: "escrow.event" }, data }, 0);
 * if (next !== current) save(next);
 */
export function reduceDispute(
  summary: DisputeSummary | undefined,
  record: SummarizedRecord,
  milestone: number,
): DisputeSummary | undefined {
  const next = advance(summary && structuredClone(summary), record, milestone);
  return next?.recordIds.at(-1) === record.header.id ? next : summary;
}

/** The summary after `record`, changed in place (or a new one, at an opening). */
function advance(
  summary: DisputeSummary | undefined,
  { header, data }: SummarizedRecord,
  milestone: number,
): DisputeSummary | undefined {
  if (header.kind === "negotiation.recorded") {
    if (summary && data.dispute === summary.id) summary.recordIds.push(header.id);
    return summary;
  }
  if (header.kind !== "escrow.event" || data.milestone !== milestone) return summary;
  const event = String(data.event);
  const args = (data.args ?? {}) as Record<string, unknown>;
  const at = String(data.blockTime);
  const text = (name: string) => String(args[name]);
  if (event === "DisputeOpened") {
    const dealId = String(data.dealId);
    return {
      id: `${dealId}.m${milestone}`,
      dealId,
      milestone,
      status: "open",
      openedBy: text("by"),
      openedAt: at,
      reasonDigest: text("reasonDigest"),
      recordIds: [header.id],
    };
  }
  if (!summary) return summary;
  if (!DISPUTE_EVENTS.has(event) && !EXECUTION_EVENT.test(event)) return summary;
  summary.recordIds.push(header.id);
  switch (event) {
    case "SettlementProposed":
      summary.proposal = { by: text("by"), release: text("release"), refund: text("refund"), at };
      break;
    case "SettlementAccepted":
      summary.status = "settled";
      summary.settlement = { release: text("release"), refund: text("refund"), at };
      break;
    case "DisputeEscalated":
      summary.status = "arbitration";
      summary.rulingDeadline = Number(args.rulingDeadline);
      break;
    case "RulingIssued": {
      const appealEnds = Number(args.appealEnds);
      summary.status = appealEnds === 0 ? "final" : "ruled";
      summary.ruling = {
        release: text("release"),
        refund: text("refund"),
        digest: text("rulingDigest"),
        at,
        ...(appealEnds === 0 ? {} : { appealEnds }),
        final: appealEnds === 0,
      };
      break;
    }
    case "RulingAppealed":
      summary.status = "appealed";
      summary.appeal = { by: text("by"), groundsDigest: text("groundsDigest"), at };
      summary.rulingDeadline = Number(args.rulingDeadline);
      break;
    case "RulingFinalized":
      summary.status = "final";
      if (summary.ruling) summary.ruling.final = true;
      break;
    case "MilestoneCancelled":
      summary.status = "cancelled";
      break;
    case "ArbitratorReplaced": {
      // The status stays: the dispute is still in arbitration (or appealed), before a new arbitrator.
      const rulingDeadline = Number(args.rulingDeadline);
      summary.rulingDeadline = rulingDeadline;
      summary.arbitratorReplacements = [
        ...(summary.arbitratorReplacements ?? []),
        { previous: text("previous"), next: text("next"), by: text("by"), rulingDeadline, at },
      ];
      break;
    }
  }
  return summary;
}
