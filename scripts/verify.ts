// `npm run verify -- <certificate.json | dossier.json> [--file PATH] [--rpc URL]`
// Exit status: 0 valid, 1 invalid (with the reason), 2 usage error,
// 3 could not be checked (the chain endpoint did not answer): not the same as forged.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  DOSSIER_FORMAT,
  verifyCertificate,
  verifyCertificateOffline,
  verifyDossier,
  verifyDossierOffline,
  type DossierVerificationResult,
  type VerificationResult,
} from "../sdk";

const USAGE = `usage: npm run verify -- <certificate.json> [--file PATH] [--rpc URL] [--offline] [--json]
       npm run verify -- <dossier.json> [--rpc URL] [--offline] [--json]

Verifies an evidence certificate: the disclosed fields, the record commitment,
the Merkle proof, and (unless --offline) the anchor on the chain at --rpc
(default: $CHAIN_RPC_URL, else http://127.0.0.1:8545). --file checks that the
given file is the one the record covers.

A dispute dossier (format ${DOSSIER_FORMAT}) is verified
as a whole: every certificate, one subject, seq 0..n-1 each linked to the one
before, every document against its record's files, and (unless --offline)
each distinct anchor once. Its documents are inside it, so --file does not apply.

Exit status: 0 valid, 1 invalid, 2 usage error, 3 chain endpoint unreachable.`;

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        file: { type: "string" },
        rpc: { type: "string" },
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

  let input: unknown;
  try {
    input = JSON.parse(await readFile(positionals[0], "utf8"));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOENT") usage(`no such file: ${positionals[0]}`);
    input = undefined; // not JSON: the verifier says so as an invalid certificate
  }
  const rpcUrl = values.rpc ?? process.env.CHAIN_RPC_URL ?? "http://127.0.0.1:8545";
  if ((input as { format?: unknown } | null)?.format === DOSSIER_FORMAT) {
    if (values.file) usage("--file applies to a certificate; a dossier carries its documents");
    const result = values.offline ? verifyDossierOffline(input) : await verifyDossier({ dossier: input, rpcUrl });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else printDossier(result, values.offline);
    process.exit(exitStatus(result));
  }
  let file: Uint8Array | undefined;
  if (values.file) {
    try {
      file = await readFile(values.file);
    } catch {
      usage(`cannot read --file ${values.file}`);
    }
  }
  const result: VerificationResult = values.offline
    ? verifyCertificateOffline(input, { file })
    : await verifyCertificate(input, { rpcUrl, file });
  if (values.json) {
    const { certificate: _omit, ...printable } = result as VerificationResult & { certificate?: unknown };
    console.log(JSON.stringify(printable, null, 2));
  } else {
    for (const check of result.checks)
      console.log(`${check.ok ? "ok  " : "FAIL"} ${check.name}${check.detail ? `: ${check.detail}` : ""}`);
    if (result.valid) {
      const r = result.record!;
      console.log(
        `VALID: record ${r.id} (${r.kind}, ${r.subject} #${r.seq})${result.anchoredAt ? ` anchored at ${result.anchoredAt}` : " (offline: anchor not checked)"}`,
      );
    } else {
      console.log(`INVALID (${result.code}): ${result.reason}`);
    }
  }
  process.exit(exitStatus(result));
}

function exitStatus(result: { valid: boolean; code?: string }): number {
  return result.valid ? 0 : result.code === "CHAIN_UNAVAILABLE" ? 3 : 1;
}

function printDossier(result: DossierVerificationResult, offline: boolean): void {
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
  if (result.valid) {
    const extent = result.records ? `seq 0..${result.records - 1} complete and in order` : "no anchored record yet";
    console.log(`VALID: ${extent}${offline ? " (offline: anchors not checked)" : ", every anchor checked on chain"}`);
    // The chain of certificates cannot show what follows it; say what the gateway says.
    if (result.pendingRecords) {
      console.log(`note: the gateway says ${plural(result.pendingRecords, "newer record")} not yet anchored`);
    }
  } else {
    console.log(`INVALID (${result.code}): ${result.reason}`);
  }
}

void main();
