import { getAddress, recoverAddress, type TypedDataDomain, type TypedDataField } from "ethers";
import { z } from "zod";
import { BYTES32_PATTERN, ADDRESS_PATTERN, LOWER_HEX_SIGNATURE_PATTERN } from "../patterns";
import { LedgerError } from "../errors";
import { toHex } from "../evidence/bytes";
import { receiptBatchDigestBytes, receiptDigest, RECEIPT_DOMAIN_NAME, RECEIPT_DOMAIN_VERSION } from "./receiptDigest";
import { receiptBatchRoot } from "./receiptBatch";
import type { TrustAnchor } from "../trust/trustAnchor";

export { receiptDigest, receiptDigestBytes, receiptBatchDigestBytes, receiptStructHashBytes } from "./receiptDigest";
export { receiptBatchTree, receiptBatchRoot, MAX_RECEIPTS_PER_SIGNATURE } from "./receiptBatch";

/** Identifies a receipt signed on its own; documented in docs/DOSSIER.md. */
export const RECEIPT_FORMAT = "tech-transfer-ledger/evidence-receipt@1";
/** Identifies a receipt signed together with others: one signature over a Merkle root (docs/DOSSIER.md). */
export const RECEIPT_BATCH_FORMAT = "tech-transfer-ledger/evidence-receipt@2";

/** The EIP-712 type the gateway signs: what it acknowledged, and where in the subject's chain. */
export const RECEIPT_TYPES: Record<string, TypedDataField[]> = {
  EvidenceReceipt: [
    { name: "recordId", type: "string" },
    { name: "subject", type: "string" },
    { name: "seq", type: "uint64" },
    { name: "commitment", type: "bytes32" },
  ],
};

/** The EIP-712 type a batch of receipts' one signature signs: the root of their tree. */
export const RECEIPT_BATCH_TYPES: Record<string, TypedDataField[]> = {
  EvidenceReceiptBatch: [{ name: "root", type: "bytes32" }],
};

/**
 * The EIP-712 domain of receipts on chain `chainId`.
 *
 * @example
 * TypedDataEncoder.hash(receiptDomain("31337"), RECEIPT_TYPES, fields)
 */
export function receiptDomain(chainId: string | bigint): TypedDataDomain {
  return { name: RECEIPT_DOMAIN_NAME, version: RECEIPT_DOMAIN_VERSION, chainId: BigInt(chainId) };
}

const bytes32 = z.string().regex(BYTES32_PATTERN, "32 bytes as 0x-prefixed lower-case hex");

const receiptFields = {
  chainId: z.string().regex(/^[1-9][0-9]*$/),
  recordId: z.string().min(1),
  subject: z.string().min(1),
  seq: z.int().min(0),
  commitment: bytes32,
  /** The gateway's receipt key (checksummed); the reader checks it against the trust anchor. */
  signer: z.string().regex(ADDRESS_PATTERN),
};

/**
 * Schema of one receipt, as the gateway hands it out and a party keeps it: signed
 * on its own (@1), or together with the other records that became durable with
 * it (@2), when it carries the proof from its own fields to the signed root.
 */
export const receiptSchema = z.discriminatedUnion("format", [
  z.strictObject({
    format: z.literal(RECEIPT_FORMAT),
    ...receiptFields,
    /** 65-byte secp256k1 signature over the EIP-712 `EvidenceReceipt`. */
    signature: z.string().regex(LOWER_HEX_SIGNATURE_PATTERN),
  }),
  z.strictObject({
    format: z.literal(RECEIPT_BATCH_FORMAT),
    ...receiptFields,
    /** Sibling hashes from this receipt's leaf to the root its signature signs. */
    proof: z.array(bytes32).min(1).max(32),
    /** 65-byte secp256k1 signature over the EIP-712 `EvidenceReceiptBatch` of that root. */
    signature: z.string().regex(LOWER_HEX_SIGNATURE_PATTERN),
  }),
]);

/** The gateway's signed acknowledgement that it recorded a record at a place in a subject's chain. */
export type EvidenceReceipt = z.infer<typeof receiptSchema>;

/** The fields of a receipt that its signature covers. */
export type ReceiptFields = Pick<EvidenceReceipt, "recordId" | "subject" | "seq" | "commitment">;

/** A receipt that is not the gateway's: malformed, badly signed, or by a key the reader does not trust. */
export class ReceiptInvalidError extends LedgerError {
  override name = "ReceiptInvalidError";
  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super("RECEIPT_INVALID", shortMessage, options);
  }
}

/**
 * Checks receipts kept by a party: each well formed, for the trusted chain,
 * signed by the key it names, and that key one of the trust anchor's
 * `receiptSigners`. Returns them typed; throws {@link ReceiptInvalidError}
 * naming the first bad one.
 *
 * @example
 * const receipts = verifyReceipts(JSON.parse(readFileSync("receipts.json", "utf8")), trust);
 */
export function verifyReceipts(input: unknown, trust: TrustAnchor): EvidenceReceipt[] {
  if (!Array.isArray(input)) throw new ReceiptInvalidError("receipts must be a JSON array of receipts");
  const signers = new Set((trust.receiptSigners ?? []).map((a) => a.toLowerCase()));
  if (input.length > 0 && signers.size === 0) {
    throw new ReceiptInvalidError(
      "the trust anchor names no receipt signer (receiptSigners), so no receipt can be checked",
    );
  }
  return input.map((item, i) => {
    const parsed = receiptSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ReceiptInvalidError(`receipt ${i} is malformed: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    const receipt = parsed.data;
    if (receipt.chainId !== trust.chainId) {
      throw new ReceiptInvalidError(
        `receipt ${i} is for chain ${receipt.chainId}, the trust anchor for ${trust.chainId}`,
      );
    }
    let recovered: string;
    try {
      recovered = recoverAddress(signedDigestOf(receipt), receipt.signature);
    } catch (error) {
      throw new ReceiptInvalidError(`receipt ${i} carries no valid signature`, { cause: error });
    }
    if (recovered !== getAddress(receipt.signer.toLowerCase())) {
      throw new ReceiptInvalidError(`receipt ${i} is not signed by ${receipt.signer}`);
    }
    if (!signers.has(recovered.toLowerCase())) {
      throw new ReceiptInvalidError(`receipt ${i} is signed by ${recovered}, not a receipt signer of the trust anchor`);
    }
    return receipt;
  });
}

/** What a receipt's signature signs: its own typed data (@1), or the root its proof leads to (@2). */
function signedDigestOf(receipt: EvidenceReceipt): string {
  if (receipt.format === RECEIPT_FORMAT) return receiptDigest(receipt.chainId, receipt);
  return toHex(receiptBatchDigestBytes(receipt.chainId, receiptBatchRoot(receipt, receipt.proof)));
}
