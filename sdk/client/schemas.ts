import { z } from "zod";
import { MILESTONE_STATES } from "../escrow/actions";
import { ADDRESS_PATTERN, BYTES32_PATTERN, FILE_NAME_PATTERN, MEDIA_TYPE_PATTERN } from "../patterns";
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
    recordIds: z.array(z.string()).meta({ description: "The records of its steps on the deal's subject, in order" }),
    updatedAt: z.string(),
  })
  .meta({ id: "Dispute" });
