import type { Provider } from "ethers";
import { canonicalJson } from "../evidence/canonical";
import type { InvalidArgumentError } from "../errors";
import { parseJsonStrict } from "../json/parseJsonStrict";
import type { EvidenceReceipt } from "../receipts/receipt";
import type { TrustAnchor } from "../trust/trustAnchor";
import { archiveSchema, summarizeArchive, type ArchiveVerificationResult, type DealArchive } from "./archive";
import { requireTrust, unavailable, withProvider, type ChainEndpoint } from "./verifyCertificate";
import { checkReceiptsHeld, checkRecordChain, checkRecordsOnChain, distinctAnchors } from "./verifyDossier";

export interface VerifyArchiveOfflineParameters {
  /**
   * Receipts the reader kept, already checked with `verifyReceipts` against their
   * trust anchor: the archive must hold each record of its subject they prove.
   */
  receipts?: readonly EvidenceReceipt[];
}

export type VerifyArchiveParameters = ChainEndpoint &
  VerifyArchiveOfflineParameters & {
    /** The file: parsed JSON, or its text (a duplicate member name is then refused). */
    archive: unknown;
    /** What the reader trusts; required, never taken from the file (see `verifyCertificate`). */
    trust: TrustAnchor;
  };

/**
 * Checks everything in a deal archive that needs no chain: its layout
 * (docs/archive.schema.json); the checks a dispute dossier gets (every certificate
 * valid and fully disclosed, one subject, seq 0…n−1 each linked to the one before,
 * one anchor per root, every file carried byte for byte); that the last record is
 * the move to `archived`; that the summary (time per step, contract, escrow history,
 * evaluations) is the one the records give; and that every record a given receipt
 * proves is held. A result that passes is `UNVERIFIED`, never `VALID`.
 *
 * Codes: those of `verifyDossierOffline` (`MALFORMED`, `EMPTY`, `CERTIFICATE_INVALID`,
 * `FIELD_WITHHELD`, `WRONG_SUBJECT`, `INCOMPLETE`, `CHAIN_BROKEN`, `ANCHOR_MISMATCH`,
 * `DOCUMENT_MISSING`, `DOCUMENT_MISMATCH`, `RECORD_MISSING`, `RECEIPT_MISMATCH`), and
 * `NOT_ARCHIVED`, `SUMMARY_MISMATCH`.
 *
 * @example
 * const result = verifyArchiveOffline(await readFile("archive.json", "utf8"));
 * result.valid ? console.log(result.summary?.steps) : console.log(result.code, result.reason);
 */
export function verifyArchiveOffline(
  input: unknown,
  parameters: VerifyArchiveOfflineParameters = {},
): ArchiveVerificationResult {
  return checkArchive(input, parameters.receipts ?? []).result;
}

/**
 * Verifies a deal archive completely against the reader's trust anchor (never one
 * the file names): the checks of {@link verifyArchiveOffline}, then each distinct
 * anchor once in the trusted registry, then each escrow event the records cite in
 * the trusted escrow. An endpoint that does not answer gives `UNVERIFIED` /
 * `CHAIN_UNAVAILABLE`.
 *
 * @example
 * const result = await verifyArchive({ archive: text, rpcUrl: "http://127.0.0.1:8545", trust });
 * if (result.verdict !== "VALID") console.log(result.code, result.reason);
 */
export async function verifyArchive(parameters: VerifyArchiveParameters): Promise<ArchiveVerificationResult> {
  const trust = requireTrust(parameters.trust);
  const { result, archive } = checkArchive(parameters.archive, parameters.receipts ?? []);
  if (!result.valid || !archive) return result;
  return withProvider(parameters, async (provider: Provider) => {
    const outcome = await checkRecordsOnChain(provider, trust, archive.certificates, result.anchors, result.checks);
    if ("unavailable" in outcome) return unavailable(result, outcome.unavailable);
    if (outcome.problem) {
      const { code, reason } = outcome.problem;
      result.checks.push({ name: code, ok: false, detail: reason });
      return { ...result, verdict: "INVALID" as const, valid: false, code, reason };
    }
    return { ...result, verdict: "VALID" as const };
  });
}

function checkArchive(
  input: unknown,
  receipts: readonly EvidenceReceipt[],
): { result: ArchiveVerificationResult; archive?: DealArchive } {
  const checks: ArchiveVerificationResult["checks"] = [];
  let facts: Omit<ArchiveVerificationResult, "verdict" | "valid" | "checks"> = {
    records: 0,
    documents: 0,
    anchors: [],
  };
  const fail = (code: string, reason: string) => {
    checks.push({ name: code, ok: false, detail: reason });
    return { result: { verdict: "INVALID" as const, valid: false, code, reason, checks, ...facts } };
  };

  if (typeof input === "string") {
    try {
      input = parseJsonStrict(input);
    } catch (error) {
      return fail("MALFORMED", `not a deal archive: ${(error as InvalidArgumentError).shortMessage}`);
    }
  }
  const parsed = archiveSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail("MALFORMED", `not a deal archive: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const archive = parsed.data;
  const { certificates, documents, subject } = archive;
  facts = {
    records: certificates.length,
    documents: documents.length,
    anchors: distinctAnchors(certificates),
    subject,
  };
  checks.push({ name: "format", ok: true });
  const problem = checkRecordChain(subject, certificates, documents, checks, "archive");
  if (problem) return fail(problem.code, problem.reason);

  const derived = summarizeArchive(certificates);
  if (!derived) {
    const last = certificates[certificates.length - 1].record.header;
    return fail(
      "NOT_ARCHIVED",
      `the last record (seq ${last.seq}, ${last.kind}) is not the deal's move to archived: the archive is incomplete`,
    );
  }
  if (canonicalJson(derived) !== canonicalJson(archive.summary)) {
    const differing = Object.keys({ ...derived, ...archive.summary }).filter(
      (key) =>
        canonicalJson((derived as Record<string, unknown>)[key] ?? null) !==
        canonicalJson((archive.summary as Record<string, unknown>)[key] ?? null),
    );
    return fail(
      "SUMMARY_MISMATCH",
      `the archive's summary is not what its records say (${differing.join(", ")}); the records say: ${canonicalJson(derived)}`,
    );
  }
  facts.summary = derived;
  checks.push({
    name: "summary",
    ok: true,
    detail: `${derived.steps.length} steps, ${derived.escrow.length} escrow events, ${derived.summaries.length} evaluations and summaries, derived from the records`,
  });

  const held = checkReceiptsHeld(subject, certificates, receipts, checks, "archive");
  if (held.problem) return fail(held.problem.code, held.problem.reason);
  facts.receipts = held.count;

  return { result: { verdict: "UNVERIFIED", valid: true, checks, ...facts }, archive };
}
