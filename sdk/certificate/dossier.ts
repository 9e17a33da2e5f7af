import { z } from "zod";
import { BYTES32_PATTERN } from "../patterns";
import { disputeSummarySchema, type DisputeSummary } from "./disputeSummary";
import { certificateSchema, type VerificationCheck } from "./types";
import type { Verdict } from "./verdict";

/** Identifies the dispute dossier format, produced by the gateway for an arbitrator. */
export const DOSSIER_FORMAT = "tech-transfer-ledger/dispute-dossier@1";

const bytes32 = z.string().regex(BYTES32_PATTERN, "32 bytes as 0x-prefixed lower-case hex");

/** A file that a record of the dossier commits to, carried whole so the arbitrator needs nothing else. */
const documentSchema = z.strictObject({
  /** `header.id` of the record whose `$files` lists this file. */
  recordId: z.string().min(1),
  name: z.string().min(1),
  mediaType: z.string().min(1),
  sha256: bytes32,
  contentBase64: z.base64(),
});

/**
 * Schema of a dispute dossier: every anchored record of one subject, as
 * certificates in subject order, and the documents they commit to. Parsing
 * with it is the first step of {@link verifyDossierOffline}.
 *
 * @example
 * const parsed = dossierSchema.safeParse(JSON.parse(text));
 * if (parsed.success) console.log(parsed.data.subject, parsed.data.certificates.length);
 */
export const dossierSchema = z.strictObject({
  format: z.literal(DOSSIER_FORMAT),
  /** When the gateway produced the file. Informational only: no hash covers it. */
  issuedAt: z.string(),
  subject: z.string().min(1),
  /** The dispute, derived from the records; a verifier derives it again and compares. */
  dispute: disputeSummarySchema,
  /**
   * Seq 0…n−1 of the subject: array position is seq. Every field of every record
   * is disclosed. A dossier with no certificate is invalid.
   */
  certificates: z.array(certificateSchema),
  /**
   * Newer records of the subject that were not anchored yet when the file was made.
   * Informational, like `issuedAt`: the verdict never rests on it (a receipt does).
   */
  pendingRecords: z.int().min(0),
  documents: z.array(documentSchema),
});

/** A dispute dossier: one self-contained JSON file. */
export type DisputeDossier = z.infer<typeof dossierSchema>;

/** A document carried in a dossier. */
export type DossierDocument = DisputeDossier["documents"][number];

/** A batch anchor that certificates of a dossier rely on; one per distinct root. */
export interface DossierAnchor {
  root: string;
  chainId: string;
  registry: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  /** The block's timestamp, seconds since the epoch: the records of this batch existed no later than this. */
  blockTime: number;
}

/**
 * What the dossier verifiers conclude: `verdict` as for certificates (VALID only
 * from {@link verifyDossier} against a trust anchor); `valid` when every check made
 * passed; `code` and `reason` say why when not.
 */
export interface DossierVerificationResult {
  verdict: Verdict;
  valid: boolean;
  code?: string;
  reason?: string;
  checks: VerificationCheck[];
  /** The number of certificates (records) in the dossier; 0 when it could not be parsed. */
  records: number;
  /** The number of documents in the dossier; 0 when it could not be parsed. */
  documents: number;
  /** The distinct anchors the certificates name, in order of first use. */
  anchors: DossierAnchor[];
  /** The dossier's subject, once parsed. */
  subject?: string;
  /** Newer records the gateway says are not yet anchored, once parsed (not verified). */
  pendingRecords?: number;
  /** The dispute summary derived from the records, once checked. */
  dispute?: DisputeSummary;
  /** How many of the given receipts concern the dossier's subject (each checked). */
  receipts?: number;
}
