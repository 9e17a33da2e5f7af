import { z } from "zod";
import { DEAL_STATES } from "../deal/dealStates";
import { MILESTONE_STATES } from "../escrow/actions";
import {
  ADDRESS_PATTERN,
  AGE_RECIPIENT_PATTERN,
  BYTES32_PATTERN,
  FILE_NAME_PATTERN,
  MEDIA_TYPE_PATTERN,
} from "../patterns";
import { receiptSchema } from "../receipts/receipt";

// The shapes of the gateway's file inputs and answers, written once: the SDK's types are inferred
// from them (sdk/client/types.ts) and the gateway's routes declare them as their
// response schemas, so the OpenAPI description shows exactly what a client reads.

const bytes32 = z.string().regex(BYTES32_PATTERN, "32 bytes as 0x-prefixed lower-case hex");

/**
 * A file in a JSON body, as the SDK sends a {@link FileInput} (`fileBody`): its
 * name, its media type and its bytes in base64. The gateway's routes take files
 * in this shape (evidence, escrow terms and moves, dispute messages, licences).
 *
 * @example
 * z.array(fileInputSchema).max(8).parse(body.files);
 */
export const fileInputSchema = z.strictObject({
  name: z.string().min(1).max(255).regex(FILE_NAME_PATTERN, "a file name without slashes or control characters"),
  mediaType: z
    .string()
    .regex(MEDIA_TYPE_PATTERN, "a media type such as application/pdf")
    .default("application/octet-stream"),
  contentBase64: z.base64().meta({ description: "The file's bytes, base64-encoded" }),
});
const address = z.string().regex(ADDRESS_PATTERN, "an address as 0x-prefixed hex");

/**
 * Where a batch of records was anchored on chain.
 *
 * @example
 * recordAnchorSchema.parse(record.anchor);
 */
export const recordAnchorSchema = z
  .object({
    root: bytes32,
    chainId: z.string(),
    registry: address,
    transactionHash: bytes32,
    blockNumber: z.int(),
    blockHash: bytes32,
    blockTime: z.int().meta({ description: "Block time, seconds since the epoch" }),
  })
  .meta({ id: "RecordAnchor" });

/**
 * A record's header, field names, commitment and, once anchored, where (never field values).
 *
 * @example
 * const record = recordViewSchema.parse(await response.json());
 */
export const recordViewSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    subject: z.string(),
    seq: z.int(),
    prev: bytes32,
    recordedAt: z.string(),
    commitment: bytes32,
    fields: z.array(z.string()),
    status: z.enum(["pending", "anchored", "orphaned"]).meta({
      description:
        "`anchored` once its block is final; `pending` while it waits; `orphaned` when it is in no batch and " +
        "not waiting (the store was changed, or a fault): never anchored",
    }),
    anchor: recordAnchorSchema.optional(),
  })
  .meta({ id: "Record" });

/**
 * The gateway's acknowledgement of a recorded piece of evidence: durable, not yet anchored.
 *
 * @example
 * const { id, seq } = recordReceiptSchema.parse(answer);
 */
export const recordReceiptSchema = z.object({
  id: z.string(),
  commitment: bytes32,
  subject: z.string(),
  seq: z.int(),
  recordedAt: z.string(),
  status: z.literal("pending"),
});

/**
 * The acknowledgement as `POST /v1/evidence` answers it: with the gateway's signed receipt.
 *
 * @example
 * const { receipt } = recordAcknowledgementSchema.parse(answer);
 */
export const recordAcknowledgementSchema = recordReceiptSchema
  .extend({
    receipt: receiptSchema.meta({
      description:
        "The gateway's signed receipt (also in the `Evidence-Receipts` header): keep it to prove the record exists (docs/DOSSIER.md)",
    }),
  })
  .meta({ id: "RecordAcknowledgement" });

/**
 * A subject's chain of records and whether it is whole.
 *
 * @example
 * const chain = subjectChainSchema.parse(answer);
 */
export const subjectChainSchema = z
  .object({
    subject: z.string(),
    length: z.int(),
    head: z.object({ seq: z.int(), id: z.string(), commitment: bytes32 }).optional(),
    anchoredHead: z
      .object({ seq: z.int(), id: z.string(), commitment: bytes32, root: bytes32, blockNumber: z.int() })
      .optional(),
    intact: z
      .boolean()
      .meta({ description: "Every record up to the head is present, in order, each linked to the one before" }),
    completeUpToAnchoredHead: z
      .boolean()
      .meta({ description: "Every record up to the anchored head is present, linked and anchored" }),
    problems: z.array(z.string()),
    orphaned: z
      .array(z.object({ seq: z.int(), id: z.string() }))
      .meta({ description: "Records in no anchoring batch and not waiting for one: they will not be anchored" }),
    records: z.array(recordViewSchema),
  })
  .meta({ id: "SubjectChain" });

const typedDataSchema = z.object({
  domain: z.record(z.string(), z.unknown()),
  types: z.record(z.string(), z.array(z.object({ name: z.string(), type: z.string() }))),
  primaryType: z.string(),
});

/**
 * One milestone of an escrow, as the chain holds it.
 *
 * @example
 * const milestone = escrowMilestoneViewSchema.parse(answer);
 */
export const escrowMilestoneViewSchema = z
  .object({
    index: z.int(),
    title: z.string().optional(),
    state: z.enum(MILESTONE_STATES),
    amount: z.int(),
    locked: z.int(),
    released: z.int(),
    refunded: z.int(),
    deadline: z.int().meta({ description: "Escrow-clock seconds: the delivery deadline" }),
    timer: z.int().meta({ description: "Escrow-clock seconds: the end of the running period" }),
    changeRounds: z.int(),
    nonce: z.int().meta({ description: "What the next move's signature must carry" }),
    standingSplit: z.object({ release: z.int(), refund: z.int() }),
    instructionFailed: z.boolean(),
    deliveryDigest: bytes32,
    instruction: z.string().optional().meta({ description: "The current instruction for the bank, by id" }),
    dispute: z.string().optional().meta({ description: "The milestone's dispute, by id" }),
  })
  .meta({ id: "EscrowMilestone" });

/**
 * A deal's escrow: terms, signatures, and each milestone as the chain holds it.
 *
 * @example
 * const escrow = escrowViewSchema.parse(answer);
 */
export const escrowViewSchema = z
  .object({
    dealId: z.string(),
    status: z.enum(["proposed", "signed", "created"]),
    parties: z.object({
      supplier: z.object({ id: z.string(), recipient: z.string().optional() }),
      demander: z.object({ id: z.string(), recipient: z.string().optional() }),
      arbitrator: z.object({ id: z.string(), recipient: z.string().optional() }),
    }),
    escrow: address,
    chainDealId: bytes32,
    terms: z.object({
      version: z.int(),
      currency: z.string(),
      total: z.int(),
      milestones: z.array(z.object({ title: z.string(), amount: z.int(), deliverBy: z.string() })),
      contract: z.object({ name: z.string(), sha256: bytes32 }),
      arbitratorId: z.string(),
      deliverToArbitrator: z
        .boolean()
        .optional()
        .meta({ description: "Deliveries are encrypted to the arbitrator as well as to the demander" }),
      termsDigest: bytes32,
      signedBy: z.array(z.string()),
      typedData: typedDataSchema.extend({ message: z.record(z.string(), z.unknown()) }),
    }),
    creation: z
      .object({ transactionHash: bytes32, blockNumber: z.int(), at: z.string(), recordId: z.string() })
      .optional(),
    clock: z
      .int()
      .optional()
      .meta({ description: "The escrow clock now (block time less the time paused), while on chain" }),
    milestones: z.array(escrowMilestoneViewSchema),
    actionTypes: typedDataSchema,
  })
  .meta({ id: "Escrow" });

/**
 * The answer of a move: its record and transaction, or whom a cancellation still waits for.
 *
 * @example
 * const { milestone } = escrowMoveSchema.parse(answer);
 */
export const escrowMoveSchema = z
  .object({
    move: z.object({ recordId: z.string(), transactionHash: bytes32.optional() }).optional(),
    waitingFor: z.string().optional(),
    milestone: escrowMilestoneViewSchema,
  })
  .meta({ id: "EscrowMove" });

/**
 * A milestone's dispute: its state, proposals, ruling and the records of its steps.
 *
 * @example
 * const { dispute } = z.object({ dispute: disputeViewSchema }).parse(answer);
 */
export const disputeViewSchema = z
  .object({
    id: z.string().meta({ description: "The deal id and the milestone: `deal_….m0`" }),
    dealId: z.string(),
    milestone: z.int(),
    openedBy: z.string(),
    openedAt: z.string(),
    reasonDigest: bytes32,
    arbitratorId: z.string(),
    status: z.enum(["open", "settled", "arbitration", "ruled", "appealed", "final", "cancelled"]),
    proposal: z.object({ by: z.string(), release: z.int(), refund: z.int(), at: z.string() }).optional(),
    settlement: z.object({ release: z.int(), refund: z.int(), at: z.string() }).optional(),
    rulingDeadline: z.string().optional(),
    ruling: z
      .object({
        release: z.int(),
        refund: z.int(),
        digest: bytes32,
        at: z.string(),
        appealEnds: z.int().optional(),
        final: z.boolean(),
      })
      .optional(),
    appeal: z.object({ by: z.string(), groundsDigest: bytes32, at: z.string() }).optional(),
    arbitratorReplacements: z
      .array(
        z.object({
          previous: z.string(),
          next: z.string(),
          by: z.string(),
          rulingDeadline: z.int(),
          at: z.string(),
        }),
      )
      .optional()
      .meta({
        description:
          "The arbitration body's replacements of the arbitrator on this milestone: signing addresses of the " +
          "replaced and the new arbitrator and of the body's key, the new ruling deadline (escrow clock), when",
      }),
    recordIds: z.array(z.string()).meta({ description: "The records of its steps on the deal's subject, in order" }),
    updatedAt: z.string(),
  })
  .meta({ id: "Dispute" });

// The deal workspace (docs/DEAL.md): the deal's state and participants, its
// negotiation (threads, messages, minutes) and its site visits.

const dealStateSchema = z.enum(DEAL_STATES);

const storedFileSchema = z
  .object({ name: z.string(), mediaType: z.string(), size: z.int(), sha256: bytes32 })
  .meta({ id: "StoredFile", description: "A file the gateway stored; its SHA-256 is in the record, anchored" });

const appointmentSchema = z.object({
  userId: z.string().optional().meta({ description: "Who holds the role, once appointed" }),
  nominations: z
    .object({ supplier: z.string().optional(), demander: z.string().optional() })
    .meta({ description: "Whom each party nominated: both the same user appoints them" }),
  assignedBy: z.enum(["parties", "operator", "match"]).optional(),
  at: z.string().optional(),
  recordId: z.string().optional(),
});

/**
 * A deal's workspace: where the deal stands, who takes part and in which role, the moves so far.
 *
 * @example
 * const { state, roles } = dealWorkspaceSchema.parse(answer);
 */
export const dealWorkspaceSchema = z
  .object({
    dealId: z.string(),
    state: dealStateSchema,
    supplierId: z.string(),
    demanderId: z.string(),
    supplyId: z.string(),
    demandId: z.string().optional(),
    price: z.object({ amount: z.int(), currency: z.string() }).optional(),
    broker: appointmentSchema,
    manager: appointmentSchema,
    evaluators: z.array(
      z.object({
        userId: z.string(),
        kinds: z.array(z.string()),
        engagedBy: z.string(),
        at: z.string(),
        recordId: z.string(),
      }),
    ),
    threads: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        confidential: z.boolean(),
        createdBy: z.string(),
        createdAt: z.string(),
      }),
    ),
    history: z.array(
      z.object({
        move: z.string(),
        from: dealStateSchema,
        to: dealStateSchema,
        by: z.string(),
        as: z.string(),
        at: z.string(),
        recordId: z.string(),
        reason: z.string().optional(),
      }),
    ),
    detailsGranted: z
      .array(z.object({ listingId: z.string(), granteeId: z.string(), recordId: z.string() }))
      .meta({ description: "The listings' NDA-gated details opened to the counter-party when the deal opened" }),
    escrowSettled: z.array(z.int()).meta({ description: "Milestones the escrow settled (released, refunded, split)" }),
    roles: z
      .array(z.string())
      .optional()
      .meta({ description: "The caller's roles in this deal (supplier, demander, broker, manager, evaluator, …)" }),
    moves: z.array(z.string()).optional().meta({ description: "The moves the caller may make now" }),
    updatedAt: z.string(),
  })
  .meta({ id: "DealWorkspace" });

/**
 * A message of a deal's negotiation.
 *
 * @example
 * const { messages } = z.object({ messages: z.array(dealMessageSchema) }).parse(answer);
 */
export const dealMessageSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    threadId: z.string(),
    authorId: z.string(),
    as: z.string().meta({ description: "The author's role in the deal" }),
    language: z.string(),
    text: z.string(),
    files: z.array(storedFileSchema),
    at: z.string(),
    recordId: z.string(),
  })
  .meta({ id: "DealMessage" });

/**
 * Formal negotiation minutes (6.5) and the parties' EIP-712 signatures of them.
 *
 * @example
 * const minutes = negotiationMinutesSchema.parse(answer);
 */
export const negotiationMinutesSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    sessionId: z.string().optional(),
    heldAt: z.string(),
    place: z.string(),
    agenda: z.array(z.string()),
    attendees: z.array(
      z.object({ name: z.string(), side: z.enum(["supplier", "demander", "broker", "manager", "other"]) }),
    ),
    agreed: z.array(z.string()),
    open: z.array(z.string()),
    nextSteps: z.array(z.string()),
    contentDigest: bytes32.meta({ description: "keccak256 of the minutes' canonical JSON (RFC 8785)" }),
    digest: bytes32.meta({ description: "The EIP-712 digest both parties sign" }),
    typedData: typedDataSchema.extend({ message: z.record(z.string(), z.unknown()) }),
    signatures: z.object({
      supplier: z.object({ signer: address, signature: z.string(), recordId: z.string() }).optional(),
      demander: z.object({ signer: address, signature: z.string(), recordId: z.string() }).optional(),
    }),
    status: z.enum(["drafted", "signed"]),
    recordedBy: z.string(),
    recordId: z.string(),
    signedRecordId: z.string().optional(),
  })
  .meta({ id: "NegotiationMinutes" });

/**
 * A site visit (6.6): who from each side, when, where, what was examined, the findings, files, confirmations.
 *
 * @example
 * const visit = siteVisitSchema.parse(answer);
 */
export const siteVisitSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    visitedAt: z.string(),
    place: z.string(),
    visitors: z.object({ supplier: z.array(z.string()), demander: z.array(z.string()), others: z.array(z.string()) }),
    examined: z.array(z.string()),
    findings: z.string(),
    files: z.array(storedFileSchema),
    confirmations: z.object({
      supplier: z.object({ confirmed: z.boolean(), note: z.string().optional(), recordId: z.string() }).optional(),
      demander: z.object({ confirmed: z.boolean(), note: z.string().optional(), recordId: z.string() }).optional(),
    }),
    recordedBy: z.string(),
    recordId: z.string(),
  })
  .meta({ id: "SiteVisit" });

const contractSignature = z.object({ signer: address, signature: z.string(), at: z.string(), recordId: z.string() });
const contractChange = z.object({
  path: z.string(),
  change: z.enum(["added", "removed", "changed"]),
  before: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  after: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
});
const contractVersionFields = {
  version: z.int(),
  language: z.enum(["zh", "en"]),
  fields: z.record(z.string(), z.unknown()).meta({ description: "The filled clauses (SDK `contractFieldsSchema`)" }),
  contractDigest: bytes32.meta({ description: "SHA-256 of the rendered text: the escrow terms' contractDigest" }),
  changes: z.array(contractChange).meta({ description: "What changed since the version before (none for the first)" }),
  by: z.string(),
  at: z.string(),
  recordId: z.string(),
};

/**
 * An evaluation report of a deal (6.6) with the value range the gateway recomputed from its inputs.
 *
 * @example
 * const evaluation = dealEvaluationSchema.parse(answer);
 */
export const dealEvaluationSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    kind: z.enum(["process", "benefit", "value", "patent", "financing"]),
    report: z.record(z.string(), z.unknown()).meta({ description: "The report (SDK `evaluationReportSchema`)" }),
    range: z
      .object({
        method: z.string(),
        currency: z.string(),
        value: z.int(),
        low: z.int(),
        high: z.int(),
      })
      .optional(),
    files: z.array(storedFileSchema),
    submittedBy: z.string(),
    at: z.string(),
    recordId: z.string(),
  })
  .meta({ id: "DealEvaluation" });

/**
 * A licensee's royalty statement for a period under a royalty contract (Civil Code art. 846), with what
 * the gateway worked out is due (SDK `royaltyDue`).
 *
 * @example
 * const statement = royaltyStatementSchema.parse(answer);
 */
export const royaltyStatementSchema = z
  .object({
    dealId: z.string(),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }),
    currency: z.string(),
    base: z.enum(["sales", "profit"]),
    baseAmount: z.int().meta({ description: "The period's sales or profit, in minor units" }),
    rate: z.string().meta({ description: "The contract's rate as a decimal string" }),
    royalty: z.int().meta({ description: "baseAmount × rate in minor units, rounded half up" }),
    working: z.string(),
    dueBy: z.iso.date().meta({ description: "The period's end plus the contract's payWithinDays" }),
    note: z.string().optional(),
    reportedBy: z.string(),
    at: z.string(),
    recordId: z.string(),
  })
  .meta({ id: "RoyaltyStatement" });

/**
 * A deal's technology contract (6.7): its versions with what changed, the parties' signatures of
 * the last, once signed its digest and price, and the EIP-712 typed data of the last version.
 *
 * @example
 * const contract = dealContractSchema.parse(answer);
 */
export const dealContractSchema = z
  .object({
    dealId: z.string(),
    contractType: z.enum(["development", "transfer", "licence", "consulting", "service"]),
    status: z.enum(["drafting", "signed"]),
    versions: z.array(z.object(contractVersionFields)),
    signatures: z.object({ supplier: contractSignature.optional(), demander: contractSignature.optional() }),
    signed: z
      .object({
        version: z.int(),
        contractDigest: bytes32,
        price: z.object({ amount: z.int(), currency: z.string() }),
        at: z.string(),
        recordId: z.string(),
      })
      .optional(),
    typedData: typedDataSchema.extend({ message: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: "DealContract" });

/**
 * One version of a deal's contract rendered: the text whose digest is signed, and the same as HTML.
 *
 * @example
 * const { text, contractDigest } = dealContractVersionSchema.parse(answer);
 */
export const dealContractVersionSchema = z
  .object({
    ...contractVersionFields,
    contractType: z.enum(["development", "transfer", "licence", "consulting", "service"]),
    text: z.string(),
    html: z.string(),
    typedData: typedDataSchema.extend({ message: z.record(z.string(), z.unknown()) }),
  })
  .meta({ id: "DealContractVersion" });

/**
 * The registration data of a signed contract (技术合同认定登记), as the SDK's `registrationRecord` gives it.
 *
 * @example
 * const registration = registrationRecordSchema.parse(answer);
 */
export const registrationRecordSchema = z
  .object({
    contractType: z.string(),
    contractTypeName: z.string(),
    projectName: z.string(),
    technicalField: z.string(),
    supplierName: z.string(),
    supplierCreditCode: z.string(),
    demanderName: z.string(),
    demanderCreditCode: z.string(),
    currency: z.string(),
    paymentMode: z.string(),
    amount: z.int(),
    amountText: z.string(),
    royaltyRate: z.string(),
    patentNumber: z.string(),
    contractDigest: z.string(),
    signedAt: z.string(),
  })
  .meta({ id: "ContractRegistration" });

const summaryScore = z.int().min(1).max(5);

/**
 * A part of a deal's summary (6.10): a party's self-evaluation, an engaged evaluator's third-party
 * evaluation (what went well, what did not, scores 1–5), or the manager's or broker's service summary
 * (what was done, the outcome, and the time per step the gateway computed from the deal's moves).
 * Each is an `archive.recorded` record of the deal (`recordId`).
 *
 * @example
 * const part = dealSummaryPartSchema.parse(answer);
 * if (part.type === "service-summary") console.log(part.steps);
 */
export const dealSummaryPartSchema = z
  .object({
    dealId: z.string(),
    type: z.enum(["self-evaluation", "third-party-evaluation", "service-summary"]),
    by: z.string(),
    as: z.enum(["supplier", "demander", "evaluator", "broker", "manager"]),
    at: z.string(),
    recordId: z.string(),
    wentWell: z.array(z.string()).optional(),
    wentBadly: z.array(z.string()).optional(),
    scores: z
      .object({
        overall: summaryScore,
        communication: summaryScore.optional(),
        timeliness: summaryScore.optional(),
        quality: summaryScore.optional(),
      })
      .optional(),
    comment: z.string().optional(),
    work: z.array(z.string()).optional(),
    outcome: z.enum(["completed", "partly_completed", "not_completed", "cancelled"]).optional(),
    outcomeNote: z.string().optional(),
    steps: z
      .array(
        z.object({
          state: z.string(),
          move: z.string().optional(),
          enteredAt: z.string(),
          leftAt: z.string().optional(),
          seconds: z.int().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: "DealSummaryPart" });

/** A deal's summary so far (GET /v1/deals/:id/summary). */
export const dealSummarySchema = z
  .object({
    selfEvaluations: z.array(dealSummaryPartSchema),
    thirdPartyEvaluations: z.array(dealSummaryPartSchema),
    serviceSummary: dealSummaryPartSchema.optional(),
  })
  .meta({ id: "DealSummary" });

/** A deal's summary part, as the API answers it. */
export type DealSummaryPartView = z.infer<typeof dealSummaryPartSchema>;
/** A deal's summary, as the API answers it. */
export type DealSummaryView = z.infer<typeof dealSummarySchema>;
/**
 * A delivery file streamed in for a milestone's `deliver` move
 * (`POST /v1/deals/:id/milestones/:m/delivery-files`): checked as an age file to
 * the contract's recipients, kept, and recorded; the move names it by `sha256`.
 *
 * @example
 * const { file } = deliveryFileUploadSchema.parse(answer);
 */
export const deliveryFileUploadSchema = z
  .object({
    recordId: z.string().meta({ description: "The `escrow.delivery.uploaded` record" }),
    file: z.object({
      name: z.string(),
      mediaType: z.string(),
      sha256: bytes32,
      size: z.int(),
      recipients: z.array(z.string()).meta({ description: "The age recipients the contract names, the file's" }),
    }),
  })
  .meta({ id: "DeliveryFileUpload" });

/**
 * A file of a move's statement: inline (`contentBase64`), or, for a delivery, a
 * file streamed in before (`uploaded`, its SHA-256). A delivered file names the age
 * recipients it is encrypted to (`recipients`), which the signed digest binds.
 *
 * @example
 * moveFileInputSchema.parse({ name: "package.age", uploaded: sha256, recipients: [demander] });
 */
export const moveFileInputSchema = z
  .strictObject({
    name: fileInputSchema.shape.name,
    mediaType: fileInputSchema.shape.mediaType,
    contentBase64: z.base64().optional().meta({ description: "The file's bytes, base64-encoded" }),
    uploaded: bytes32
      .optional()
      .meta({ description: "A delivery: the SHA-256 of a file uploaded to …/delivery-files for this milestone" }),
    recipients: z
      .array(z.string().regex(AGE_RECIPIENT_PATTERN, "an age recipient (age1…)"))
      .min(1)
      .max(8)
      .optional()
      .meta({ description: "A delivery: the age recipients the file is encrypted to, exactly the contract's" }),
  })
  .refine((file) => (file.contentBase64 === undefined) !== (file.uploaded === undefined), {
    message: "give the file's bytes (contentBase64) or an uploaded file's SHA-256 (uploaded), one of them",
    params: { code: "FILE_CONTENT_REQUIRED" },
  });
