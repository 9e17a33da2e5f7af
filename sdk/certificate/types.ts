import { z } from "zod";
import { BYTES32_PATTERN, ADDRESS_PATTERN } from "../patterns";
import { RECORD_FORMAT_VERSION } from "../evidence/record";
import type { Verdict } from "./verdict";

/** Identifies the certificate format; documented in docs/CERTIFICATE.md. */
export const CERTIFICATE_FORMAT = "tech-transfer-ledger/evidence-certificate@1";

const bytes32 = z.string().regex(BYTES32_PATTERN, "32 bytes as 0x-prefixed lower-case hex");
const address = z.string().regex(ADDRESS_PATTERN, "an address as 0x-prefixed hex");

const header = z.strictObject({
  v: z.literal(RECORD_FORMAT_VERSION),
  id: z.string().min(1),
  kind: z.string().min(1),
  subject: z.string().min(1),
  seq: z.int().min(0),
  prev: bytes32,
  recordedAt: z.string(),
});

/** A field whose value is shown: its salt and value let anyone recompute its commitment. */
const disclosedField = z.strictObject({ commitment: bytes32, salt: bytes32, value: z.json() });
/** A field whose value is withheld: only its commitment is shown. */
const withheldField = z.strictObject({ commitment: bytes32 });

/** Schema of an evidence certificate; parsing with it is the first step of verification. */
export const certificateSchema = z.strictObject({
  format: z.literal(CERTIFICATE_FORMAT),
  issuedAt: z.string(),
  record: z.strictObject({
    header,
    fields: z.record(z.string(), z.union([disclosedField, withheldField])),
  }),
  commitment: bytes32,
  merkle: z.strictObject({
    leafEncoding: z.tuple([z.literal("bytes32")]),
    root: bytes32,
    proof: z.array(bytes32).max(64),
  }),
  anchor: z.strictObject({
    chainId: z.string().regex(/^[0-9]+$/),
    registry: address,
    transactionHash: bytes32,
    blockNumber: z.int().min(0),
    blockHash: bytes32,
    blockTime: z.int().min(0),
  }),
});

/** An evidence certificate: one self-contained JSON file. */
export type EvidenceCertificate = z.infer<typeof certificateSchema>;

/** One check made by a verifier, in the order made. */
export interface VerificationCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/**
 * What a verifier concludes. `verdict` is the conclusion (VALID only from a full
 * verification against the reader's trust anchor); `valid` is true when every
 * check made passed; `code` and `reason` say why when it is not.
 */
export interface VerificationResult {
  verdict: Verdict;
  valid: boolean;
  code?: string;
  reason?: string;
  checks: VerificationCheck[];
  /** When the record was anchored (block time), ISO 8601; set once the anchor is checked. */
  anchoredAt?: string;
  record?: { id: string; kind: string; subject: string; seq: number };
  /** The anchoring account named by the registry's `BatchAnchored` event, once checked. */
  anchorer?: string;
  /** The trusted registry the anchor was checked against, once checked. */
  registry?: string;
}
