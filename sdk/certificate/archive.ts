import { z } from "zod";
import { dossierSchema, type DossierAnchor } from "./dossier";
import { certificateSchema, type EvidenceCertificate, type VerificationCheck } from "./types";
import type { Verdict } from "./verdict";

/** Identifies the deal archive format, built by the gateway when a deal is archived (docs/ARCHIVE.md). */
export const ARCHIVE_FORMAT = "tech-transfer-ledger/deal-archive@1";

/** The kinds of `archive.recorded` record: the summary's three parts, the archive itself, its purge. */
export const ARCHIVE_RECORD_TYPES = [
  "self-evaluation",
  "third-party-evaluation",
  "service-summary",
  "archive",
  "purge",
] as const;
export type ArchiveRecordType = (typeof ARCHIVE_RECORD_TYPES)[number];

/** One stage of a deal: the state it was in, from when to when (the moves' record times). */
export const dealStepSchema = z.strictObject({
  state: z.string().min(1),
  /** The move that led here; absent for the first stage (`opened`). */
  move: z.string().optional(),
  enteredAt: z.string(),
  /** Absent for the stage the deal is in. */
  leftAt: z.string().optional(),
  /** Whole seconds spent in the stage; absent for the stage the deal is in. */
  seconds: z.int().min(0).optional(),
});
export type DealStep = z.infer<typeof dealStepSchema>;

/**
 * Time per step of a deal from its moves: the first stage is `opened` from
 * `openedAt`, and each move ends one stage and starts the next.
 *
 * @example
 * dealSteps("2026-01-01T00:00:00Z", [{ move: "begin_negotiation", to: "negotiating", at: "2026-01-03T00:00:00Z" }])
 * // [{ state: "opened", enteredAt: …, leftAt: "2026-01-03T00:00:00Z", seconds: 172800 }, { state: "negotiating", … }]
 */
export function dealSteps(openedAt: string, moves: readonly { move: string; to: string; at: string }[]): DealStep[] {
  const steps: DealStep[] = [{ state: "opened", enteredAt: openedAt }];
  for (const { move, to, at } of moves) {
    const current = steps[steps.length - 1];
    current.leftAt = at;
    current.seconds = Math.max(0, Math.floor((Date.parse(at) - Date.parse(current.enteredAt)) / 1000));
    steps.push({ state: to, move, enteredAt: at });
  }
  return steps;
}

/** A self-evaluation, third-party evaluation or service summary, as its record says. */
const summaryPartSchema = z.strictObject({
  recordId: z.string().min(1),
  type: z.enum(["self-evaluation", "third-party-evaluation", "service-summary"]),
  /** The author's user id, and as what they wrote it (supplier, demander, evaluator, broker, manager). */
  by: z.string().min(1),
  as: z.string().min(1),
  at: z.string(),
  /** The record's data as written (the fields of docs/ARCHIVE.md). */
  data: z.record(z.string(), z.json()),
});

/**
 * Schema of the archive's summary: nothing in it is the gateway's word. Every
 * value is derived from the archive's own records by {@link summarizeArchive},
 * and a verifier derives it again and refuses an archive whose summary differs.
 */
export const archiveSummarySchema = z.strictObject({
  dealId: z.string().min(1),
  /** The state the last move of the archive leads to: `archived`. */
  state: z.string().min(1),
  /** The archive move's record time. */
  archivedAt: z.string(),
  /** Time per step, from the deal's `deal.moved` records. */
  steps: z.array(dealStepSchema),
  /** The signed technology contract (its `contract.signed` record), when one was signed in the workspace. */
  contract: z
    .strictObject({
      recordId: z.string().min(1),
      contractType: z.string(),
      version: z.int().min(1),
      contractDigest: z.string(),
      price: z.strictObject({ amount: z.number(), currency: z.string() }),
      supplier: z.string(),
      demander: z.string(),
    })
    .optional(),
  /** The escrow's on-chain history: each `escrow.event` record's event, transaction and log. */
  escrow: z.array(
    z.strictObject({
      seq: z.int().min(0),
      recordId: z.string().min(1),
      event: z.string().min(1),
      milestone: z.int().min(0).optional(),
      transactionHash: z.string(),
      blockNumber: z.int().min(0),
      logIndex: z.int().optional(),
    }),
  ),
  /** The self-evaluations, third-party evaluations and service summaries, in record order. */
  summaries: z.array(summaryPartSchema),
});
export type ArchiveSummary = z.infer<typeof archiveSummarySchema>;

/**
 * Schema of a deal archive: every record of the deal's subject from seq 0 up to
 * and including the archive move, as certificates disclosing every field, the
 * files they commit to (bytes included), and the summary derived from them.
 * Parsing with it is the first step of {@link verifyArchiveOffline}.
 *
 * @example
 * const parsed = archiveSchema.safeParse(JSON.parse(text));
 * if (parsed.success) console.log(parsed.data.summary.steps);
 */
export const archiveSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  /** When the gateway built the file. Informational only: no hash covers it. */
  issuedAt: z.string(),
  subject: z.string().min(1),
  summary: archiveSummarySchema,
  /** Seq 0…n−1 of the subject, array position is seq; the last is the archive move. */
  certificates: z.array(certificateSchema),
  /** Every file the records commit to, bytes and all (as in a dispute dossier). */
  documents: dossierSchema.shape.documents,
});

/** A deal archive: one self-contained JSON file. */
export type DealArchive = z.infer<typeof archiveSchema>;

/**
 * The archive's summary from its certificates, or undefined when the last
 * certificate is not a move to `archived` (the archive is then incomplete).
 * The gateway builds the summary with it and a verifier derives it again.
 *
 * @example
 * const summary = summarizeArchive(archive.certificates);
 */
export function summarizeArchive(
  certificates: readonly Pick<EvidenceCertificate, "record">[],
): ArchiveSummary | undefined {
  const last = certificates.at(-1);
  if (!last) return undefined;
  const valuesOf = (certificate: Pick<EvidenceCertificate, "record">) =>
    Object.fromEntries(
      Object.entries(certificate.record.fields).map(([name, field]) => [
        name,
        "value" in field ? field.value : undefined,
      ]),
    ) as Record<string, unknown>;
  const lastData = valuesOf(last);
  if (last.record.header.kind !== "deal.moved" || lastData.to !== "archived") return undefined;
  const subject = last.record.header.subject;
  const dealId = subject.startsWith("deal:") ? subject.slice("deal:".length) : subject;
  const moves: { move: string; to: string; at: string }[] = [];
  const escrow: ArchiveSummary["escrow"] = [];
  const summaries: ArchiveSummary["summaries"] = [];
  let contract: ArchiveSummary["contract"];
  for (const certificate of certificates) {
    const { header } = certificate.record;
    const data = valuesOf(certificate);
    if (header.kind === "deal.moved") {
      moves.push({ move: String(data.move), to: String(data.to), at: header.recordedAt });
    } else if (header.kind === "contract.signed") {
      const price = data.price as { amount: number; currency: string };
      contract = {
        recordId: header.id,
        contractType: String(data.contractType),
        version: Number(data.version),
        contractDigest: String(data.contractDigest),
        price: { amount: price?.amount, currency: price?.currency },
        supplier: String(data.supplier),
        demander: String(data.demander),
      };
    } else if (header.kind === "escrow.event") {
      escrow.push({
        seq: header.seq,
        recordId: header.id,
        event: String(data.event),
        ...(Number.isInteger(data.milestone) && { milestone: data.milestone as number }),
        transactionHash: String(data.transactionHash),
        blockNumber: Number(data.blockNumber),
        ...(Number.isInteger(data.logIndex) && { logIndex: data.logIndex as number }),
      });
    } else if (header.kind === "archive.recorded") {
      const type = data.type;
      if (type !== "self-evaluation" && type !== "third-party-evaluation" && type !== "service-summary") continue;
      summaries.push({
        recordId: header.id,
        type,
        by: String(data.by),
        as: String(data.as),
        at: header.recordedAt,
        data: data as Record<string, z.core.util.JSONType>,
      });
    }
  }
  return {
    dealId,
    state: String(lastData.to),
    archivedAt: last.record.header.recordedAt,
    steps: dealSteps(certificates[0].record.header.recordedAt, moves),
    ...(contract && { contract }),
    escrow,
    summaries,
  };
}

/**
 * What the archive verifiers conclude: as for a dossier (`verdict`, `valid`,
 * `code`, `reason`, `checks`), with the archive's summary once checked.
 */
export interface ArchiveVerificationResult {
  verdict: Verdict;
  valid: boolean;
  code?: string;
  reason?: string;
  checks: VerificationCheck[];
  /** The number of certificates (records) in the archive; 0 when it could not be parsed. */
  records: number;
  /** The number of documents in the archive; 0 when it could not be parsed. */
  documents: number;
  /** The distinct anchors the certificates name, in order of first use. */
  anchors: DossierAnchor[];
  subject?: string;
  /** The summary derived from the records, once checked. */
  summary?: ArchiveSummary;
  /** How many of the given receipts concern the archive's subject (each checked). */
  receipts?: number;
}
