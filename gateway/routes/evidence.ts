import { z } from "zod";
import {
  FIELD_NAME_PATTERN,
  receiptSchema,
  recordFieldsProblem,
  type SealedRecord,
  recordAcknowledgementSchema,
  recordViewSchema,
  subjectChainSchema,
  fileInputSchema,
} from "tech-transfer-ledger/sdk";
import type { ReceiptSigner } from "../evidence/receipts";
import { EVIDENCE_KIND_NAMES } from "../evidence/kinds";
import {
  DEFAULT_RECORD_LIMITS,
  SUBJECT_PATTERN,
  type EvidenceRecorder,
  type RecordReceipt,
} from "../evidence/recorder";
import type { EvidenceService } from "../evidence/service";
import { badRequest, forbidden } from "../errors";
import { defineRoute, type Route } from "../http/route";
import type { Principal } from "../auth/roles";
import type { EvidenceAccess } from "../evidence/access";
import { readAccess } from "../auth/policy";

const operatorOnly = { roles: ["operator"] } as const;
/**
 * Reading evidence: the platform's services and auditors read all of it; a
 * signed-in user reads the records of the subjects they take part in
 * (gateway/evidence/access.ts), checked by the handler since the id alone does
 * not say whose a record is.
 */
const readers = readAccess.evidence;

const notTheirs = () =>
  forbidden(
    "NOT_YOUR_RECORD",
    "a user reads only the records of what they take part in: their account, listings, matches, deals and trades",
  );

/**
 * The record, once the principal may read it. One the principal takes no part in is
 * refused, and so is one that does not exist, so ids cannot be probed; staff get 404.
 */
async function readable(
  evidence: EvidenceService,
  access: EvidenceAccess,
  principal: Principal | undefined,
  id: string,
): Promise<SealedRecord> {
  const record = await evidence.sealed(id).catch(() => undefined);
  if (!(await access.mayRead(principal, record))) throw notTheirs();
  return record ?? evidence.sealed(id);
}

/** The refusals of the routes that read one record. */
const readRefusals = {
  400: { description: "The id is not a record id" },
  401: { description: "No credential, or a bad one" },
  403: { description: "Not allowed" },
  404: { description: "No such record" },
} as const;

const recordId = z.uuid().meta({ description: "Record id (a UUID)", example: "0b6f8a9e-6a53-4c53-9d5c-31d0b7f1c2aa" });

export const recordEvidenceBody = z
  .strictObject({
    kind: z.enum(EVIDENCE_KIND_NAMES).meta({ description: "What step of the workflow this record is" }),
    subject: z.string().regex(SUBJECT_PATTERN, "1–128 characters: letters, digits and : _ . @ -").meta({
      description: "What the record is about; records of one subject form a hash chain",
      example: "deal:2026-0042",
    }),
    // Depth and reserved names are checked first, without recursion: a schema
    // walking 2,000 levels would overflow the stack before it could refuse them.
    // The content rules are the SDK's (`recordFieldsProblem` here, the whole of
    // `recordInputProblem` in the recorder): defined once. Depth is checked without
    // recursion: a schema walking 2,000 levels would overflow the stack.
    data: z
      .record(z.string(), z.unknown())
      .superRefine((value, ctx) => {
        const problem = recordFieldsProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
      })
      .meta({
        description:
          "The record's fields; each is committed separately so it can be disclosed alone. " +
          "Field names match `^[A-Za-z][A-Za-z0-9_.-]{0,63}$`; values are any JSON nested at most 32 levels, " +
          "integers within ±(2^53−1) (larger ones as strings), strings without lone surrogates, no member named `__proto__`.",
        example: { title: "光伏组件回收技术", price: 1200000, currency: "CNY" },
        type: "object",
        propertyNames: { pattern: FIELD_NAME_PATTERN.source },
      }),
    files: z.array(fileInputSchema).max(DEFAULT_RECORD_LIMITS.maxFiles).optional().meta({
      description: "Attached files; kept content-addressed, their SHA-256 digests go into the record's `$files` field",
    }),
  })
  .meta({ id: "RecordEvidence" });

/** The evidence routes: the spine's API. */
export function evidenceRoutes(
  recorder: EvidenceRecorder,
  evidence: EvidenceService,
  access: EvidenceAccess,
  receiptSigner: ReceiptSigner,
  bodyLimit: number,
): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/v1/evidence/:id/receipt",
      summary: "The gateway's signed receipt of a record (users: records of what they take part in)",
      description:
        "The record's receipt signed on its own (format @1, docs/DOSSIER.md), for a record whose receipt a " +
        "client did not keep: a bulk write carries at most 12 in its `Evidence-Receipts` header. It is the " +
        "receipt the answer carried when that one was signed on its own too (always for an idempotent " +
        "`POST /v1/evidence`); a receipt signed together with others (@2) is as valid.",
      tags: ["evidence"],
      access: readers,
      params: z.object({ id: recordId }),
      responses: { 200: { description: "The receipt", schema: receiptSchema }, ...readRefusals },
      async handler({ params, principal }) {
        const { header, commitment } = await readable(evidence, access, principal, params.id);
        return {
          status: 200,
          body: receiptSigner.receiptFor({ recordId: header.id, subject: header.subject, seq: header.seq, commitment }),
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/evidence",
      summary: "Record a piece of evidence",
      description:
        "Answers 202 once the record is durable in the store; it is anchored on chain in the next batch. " +
        `Limits: body ${bodyLimit} bytes, data ${DEFAULT_RECORD_LIMITS.maxDataBytes} bytes as canonical JSON, ` +
        `${DEFAULT_RECORD_LIMITS.maxFiles} files of at most ${DEFAULT_RECORD_LIMITS.maxFileBytes} bytes each.`,
      tags: ["evidence"],
      access: operatorOnly,
      body: recordEvidenceBody,
      bodyLimit,
      idempotent: true,
      commitWithAnswer: true,
      explicitScope: true,
      responses: {
        202: { description: "Recorded; anchoring follows", schema: recordAcknowledgementSchema },
        400: { description: "Malformed JSON, wrong types, unknown kind, bad field names" },
        401: { description: "No credential, or a bad one" },
        403: { description: "The credential may not record evidence" },
        413: { description: "Body, data or a file over its limit" },
        415: { description: "The body is not application/json" },
      },
      async handler({ body, receipts, held }) {
        const acknowledged = await recorder.record(
          {
            kind: body.kind,
            subject: body.subject,
            data: body.data as Record<string, unknown>,
            files: body.files?.map((file) => ({
              name: file.name,
              mediaType: file.mediaType,
              bytes: Buffer.from(file.contentBase64, "base64"),
            })),
          },
          // Held for an idempotent answer, which is kept without the receipt.
          { receipts, held, receiptsAlone: held !== undefined },
        );
        return {
          status: 202,
          body: { ...acknowledged, status: "pending" },
          headers: { Location: `/v1/evidence/${acknowledged.id}` },
        };
      },
      /**
       * The receipt joins the answer here, not in the handler: an idempotent
       * write's answer is kept and committed with its record while the receipt is
       * signed on its own (@1) on the evidence thread, and its replay signs the
       * same receipt again, byte for byte. An answer kept with its receipt (before
       * this was so) is replayed as it was kept.
       */
      async completeAnswer(output, receipts) {
        const acknowledged = output.body as RecordReceipt & { receipt?: unknown };
        if (acknowledged.receipt !== undefined) return output;
        const { id: recordId, subject, seq, commitment } = acknowledged;
        const receipt =
          (await receipts.receiptOf(recordId)) ?? receiptSigner.receiptFor({ recordId, subject, seq, commitment });
        return { ...output, body: { ...acknowledged, receipt } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/evidence/:id",
      summary: "A record's status and anchor (users: records of what they take part in)",
      tags: ["evidence"],
      access: readers,
      params: z.object({ id: recordId }),
      responses: {
        200: { description: "The record (without field values) and, once anchored, where", schema: recordViewSchema },
        ...readRefusals,
      },
      async handler({ params, principal }) {
        const record = await readable(evidence, access, principal, params.id);
        return { status: 200, body: await evidence.viewOf(record) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/evidence/:id/certificate",
      summary: "Issue the evidence certificate (出证) of an anchored record",
      description:
        "One self-contained JSON file that anyone verifies with `npm run verify`, the /verify page, or by hand (docs/CERTIFICATE.md). " +
        "`fields` discloses only the named fields; the others keep only their commitments. " +
        "Users: the records of what they take part in (their account, listings, matches, deals, trades).",
      tags: ["evidence"],
      access: readers,
      params: z.object({ id: recordId }),
      query: z.object({
        fields: z.string().max(4096).optional().meta({
          description: "Comma-separated names of the fields to disclose (all when absent)",
          example: "price,currency",
        }),
      }),
      responses: {
        200: { description: "The certificate" },
        400: { description: "Unknown field" },
        401: { description: "No credential, or a bad one" },
        403: { description: "Not allowed" },
        404: { description: "No such record" },
        409: {
          description:
            "NOT_YET_ANCHORED or NOT_YET_FINAL: retry after the Retry-After seconds; " +
            "NOT_ANCHORED: the record is in no batch and not waiting (store changed or a fault), no retry helps",
        },
      },
      async handler({ params, query, principal }) {
        await readable(evidence, access, principal, params.id);
        const fields =
          query.fields === undefined
            ? undefined
            : query.fields
                .split(",")
                .map((f) => f.trim())
                .filter(Boolean);
        if (fields && fields.length === 0) throw badRequest("INVALID_REQUEST", "query.fields: name at least one field");
        const certificate = await evidence.certificate(params.id, fields);
        return {
          status: 200,
          body: certificate,
          headers: { "Content-Disposition": `inline; filename="certificate-${params.id}.json"` },
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/subjects/:id/evidence",
      summary: "A subject's chain of records and whether it is complete",
      description:
        "The records of one subject (a user, a listing, a deal) in order. `intact` says each links to the one before; " +
        "`completeUpToAnchoredHead` says every record up to the last anchored one is present, linked and anchored. " +
        "A user reads the chains of what they take part in: their account (`user:<id>`), listings, matches, deals, " +
        "auctions, and sealed biddings once closed.",
      tags: ["evidence"],
      access: readers,
      params: z.object({ id: z.string().regex(SUBJECT_PATTERN, "a subject id") }),
      responses: {
        200: { description: "The chain", schema: subjectChainSchema },
        400: { description: "Not a subject id" },
        401: { description: "No credential, or a bad one" },
        403: { description: "Not allowed" },
      },
      async handler({ params, principal }) {
        if (!(await access.mayReadSubject(principal, params.id))) throw notTheirs();
        return { status: 200, body: await evidence.subjectChain(params.id) };
      },
    }),
  ];
}
