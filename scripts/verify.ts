// `npm run verify -- <certificate.json | dossier.json | archive.json> (--trust FILE | --registry ADDRESS --chain-id N) [options]`
// Verdicts: VALID (exit 0), INVALID with a code (exit 1), UNVERIFIED (exit 3: the
// chain endpoint did not answer, or --offline); usage errors exit 2.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  ARCHIVE_FORMAT,
  DOSSIER_FORMAT,
  exitStatusOf,
  LedgerError,
  parseJsonStrict,
  parseTrustAnchor,
  trustAnchorOf,
  verifyCertificate,
  verifyCertificateOffline,
  verifyDossier,
  verifyDossierOffline,
  verifyArchive,
  verifyArchiveOffline,
  verifyReceipts,
  type ArchiveVerificationResult,
  type DossierVerificationResult,
  type EvidenceReceipt,
  type TrustAnchor,
  type VerificationResult,
} from "../sdk";
import { chainRpcUrl } from "./lib/chainEndpoint";

const USAGE = `usage: npm run verify -- <certificate.json> TRUST [--file PATH]... [--rpc URL] [--json]
       npm run verify -- <dossier.json | archive.json> TRUST [--receipts receipts.json] [--rpc URL] [--json]
       npm run verify -- <certificate.json | dossier.json | archive.json> --offline [--file PATH]... [--json]

TRUST is what you trust, never taken from the file being verified:
  --trust trust.json                  a trust anchor (chain id, genesis hash, registries;
                                      format tech-transfer-ledger/trust-anchor@1), or
  --registry ADDRESS --chain-id N     the one registry and chain you trust.
Get them from your own node and the consortium's published deployment
(docs/CERTIFICATE.md), not from whoever handed you the certificate.

Checks the disclosed fields, the record commitment and the Merkle proof, then the
anchor on the chain at --rpc (default: $CHAIN_RPC_URL, else
http://127.0.0.1:$CHAIN_PORT, CHAIN_PORT defaulting to 8545): the chain is the trusted
one, the registry is trusted and anchored the root in the stated block, and its
anchoring account held ANCHORER_ROLE. Each --file must be one of the record's files.

A dispute dossier (format ${DOSSIER_FORMAT}) is verified as a
whole (docs/DOSSIER.md): every record disclosed, seq 0..n-1 each linked to the one
before, every file present, the dispute summary derived from the records, every
anchor in the trusted registry, and every record a --receipts receipt proves present.

A deal archive (format ${ARCHIVE_FORMAT}) is verified the same way
(docs/ARCHIVE.md), and its last record must be the deal's move to archived, its
summary (time per step, contract, escrow history, evaluations) the one the records give.

Verdicts: VALID (exit 0); INVALID with a code (exit 1); UNVERIFIED (exit 3): the
chain endpoint did not answer, or --offline (the anchor was not checked).
Usage errors (a missing trust anchor, an unreadable file) exit 2.`;

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

/** Reads and parses a JSON file the user named; any problem is a usage error. */
async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    usage(`cannot read ${what} ${file}`);
  }
  try {
    return parseJsonStrict(text);
  } catch (error) {
    usage(`${what} ${file}: ${(error as LedgerError).shortMessage}`);
  }
}

async function trustFrom(values: { trust?: string; registry?: string; "chain-id"?: string }): Promise<TrustAnchor> {
  if (values.trust && (values.registry || values["chain-id"])) {
    usage("give either --trust or --registry with --chain-id, not both");
  }
  try {
    if (values.trust) return parseTrustAnchor(await readJson(values.trust, "trust anchor"));
    if (values.registry && values["chain-id"]) {
      return trustAnchorOf({ registry: values.registry, chainId: values["chain-id"] });
    }
  } catch (error) {
    usage((error as LedgerError).shortMessage);
  }
  if (values.registry || values["chain-id"]) usage("--registry and --chain-id go together");
  usage(
    "no trust anchor: a certificate names its own registry and chain, so it is checked only against ones you chose. " +
      "Give --trust trust.json, or --registry ADDRESS and --chain-id N",
  );
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        file: { type: "string", multiple: true },
        rpc: { type: "string" },
        trust: { type: "string" },
        registry: { type: "string" },
        "chain-id": { type: "string" },
        receipts: { type: "string" },
        offline: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) usage();
  if (positionals.length !== 1) usage("name exactly one certificate or dossier file");

  let text: string;
  try {
    text = await readFile(positionals[0], "utf8");
  } catch {
    usage(`cannot read ${positionals[0]}`);
  }
  // Parsed once, strictly. A file that is not JSON or names a member twice goes to the
  // verifier as text, which then says why (as an invalid certificate or dossier).
  let input: unknown;
  let format: unknown;
  try {
    input = parseJsonStrict(text);
    format = (input as { format?: unknown } | null)?.format;
  } catch {
    input = text;
    try {
      format = (JSON.parse(text) as { format?: unknown } | null)?.format;
    } catch {
      format = undefined;
    }
  }
  const trust = values.offline ? undefined : await trustFrom(values);
  const rpcUrl = values.rpc ?? chainRpcUrl();

  if (format === DOSSIER_FORMAT || format === ARCHIVE_FORMAT) {
    if (values.file?.length) usage("--file applies to a certificate; a dossier or an archive carries its documents");
    let receipts: EvidenceReceipt[] = [];
    if (values.receipts) {
      if (!trust) usage("--receipts needs a trust anchor naming the gateway's receipt signers");
      try {
        receipts = verifyReceipts(await readJson(values.receipts, "receipts"), trust);
      } catch (error) {
        usage((error as LedgerError).shortMessage);
      }
    }
    if (format === ARCHIVE_FORMAT) {
      const result = trust
        ? await verifyArchive({ archive: input, rpcUrl, trust, receipts })
        : verifyArchiveOffline(input, { receipts });
      if (values.json) console.log(JSON.stringify(result, null, 2));
      else printDossier(result, trust);
      process.exit(exitStatusOf(result.verdict));
    }
    const result = trust
      ? await verifyDossier({ dossier: input, rpcUrl, trust, receipts })
      : verifyDossierOffline(input, { receipts });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else printDossier(result, trust);
    process.exit(exitStatusOf(result.verdict));
  }
  if (values.receipts) usage("--receipts applies to a dossier or an archive");
  const files: Uint8Array[] = [];
  for (const file of values.file ?? []) {
    try {
      files.push(await readFile(file));
    } catch {
      usage(`cannot read --file ${file}`);
    }
  }
  const result: VerificationResult = trust
    ? await verifyCertificate(input, { rpcUrl, trust, files })
    : verifyCertificateOffline(input, { files });
  if (values.json) {
    const { certificate: _omit, ...printable } = result as VerificationResult & { certificate?: unknown };
    console.log(JSON.stringify(printable, null, 2));
  } else {
    for (const check of result.checks)
      console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name}${check.detail ? `: ${check.detail}` : ""}`);
    const r = result.record;
    if (result.verdict === "VALID") {
      console.log(
        `VALID: record ${r!.id} (${r!.kind}, ${r!.subject} #${r!.seq}) anchored at ${result.anchoredAt} ` +
          `in registry ${result.registry} on chain ${trust!.chainId}`,
      );
    } else if (result.valid) {
      console.log(
        `UNVERIFIED (offline): record ${r!.id} (${r!.kind}, ${r!.subject} #${r!.seq}): commitments and proof hold; the anchor was not checked`,
      );
    } else {
      console.log(`${result.verdict} (${result.code}): ${result.reason}`);
    }
  }
  process.exit(exitStatusOf(result.verdict));
}

/** Prints the verdict on a dossier or an archive: the checks, the records, the anchors, what the records say. */
function printDossier(
  result: DossierVerificationResult | ArchiveVerificationResult,
  trust: TrustAnchor | undefined,
): void {
  for (const check of result.checks)
    console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name}${check.detail ? `: ${check.detail}` : ""}`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  console.log(
    `${result.subject ?? "(no subject)"}: ${plural(result.records, "record")}, ${plural(result.documents, "document")}, ${plural(result.anchors.length, "anchor")}`,
  );
  for (const anchor of result.anchors) {
    console.log(
      `  root ${anchor.root}: chain ${anchor.chainId}, block ${anchor.blockNumber}, ${new Date(anchor.blockTime * 1000).toISOString()}`,
    );
  }
  if ("dispute" in result && result.dispute)
    console.log(`  dispute ${result.dispute.id}: ${result.dispute.status} (derived from the records)`);
  if ("summary" in result && result.summary) {
    const { summary } = result;
    console.log(`  deal ${summary.dealId}: ${summary.state} at ${summary.archivedAt} (derived from the records)`);
    for (const step of summary.steps) {
      const spent = step.seconds === undefined ? "" : `, ${(step.seconds / 86400).toFixed(1)} days`;
      console.log(`    ${step.state} from ${step.enteredAt}${spent}`);
    }
    if (summary.contract) {
      console.log(`  contract v${summary.contract.version} signed, digest ${summary.contract.contractDigest}`);
    }
    console.log(`  ${summary.escrow.length} escrow events, ${summary.summaries.length} evaluations and summaries`);
  }
  const extent = `seq 0..${result.records - 1} complete and in order`;
  if (result.verdict === "VALID") {
    console.log(
      `VALID: ${extent}, every anchor checked in registry ${trust!.registries.map((r) => r.address).join(", ")} on chain ${trust!.chainId}`,
    );
  } else if (result.valid) {
    console.log(`UNVERIFIED (offline): ${extent}; the anchors were not checked`);
  } else {
    console.log(`${result.verdict} (${result.code}): ${result.reason}`);
  }
  // The chain of certificates cannot show what follows it; a receipt can.
  if ("pendingRecords" in result && result.pendingRecords) {
    console.log(
      `note: the gateway said ${plural(result.pendingRecords, "newer record")} were not yet anchored (not verified)`,
    );
  }
}

void main();
