// `npm run verify -- <certificate.json> [--file PATH] [--rpc URL]`
// Exit status: 0 valid, 1 invalid (with the reason), 2 usage error,
// 3 could not be checked (the chain endpoint did not answer): not the same as forged.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { verifyCertificate, verifyCertificateOffline, type VerificationResult } from "../sdk";

const USAGE = `usage: npm run verify -- <certificate.json> [--file PATH] [--rpc URL] [--offline] [--json]

Verifies an evidence certificate: the disclosed fields, the record commitment,
the Merkle proof, and (unless --offline) the anchor on the chain at --rpc
(default: $CHAIN_RPC_URL, else http://127.0.0.1:8545). --file checks that the
given file is the one the record covers.

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
  if (positionals.length !== 1) usage("name exactly one certificate file");

  let certificate: unknown;
  try {
    certificate = JSON.parse(await readFile(positionals[0], "utf8"));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "ENOENT") usage(`no such file: ${positionals[0]}`);
    certificate = undefined; // not JSON: the verifier says so as an invalid certificate
  }
  let file: Uint8Array | undefined;
  if (values.file) {
    try {
      file = await readFile(values.file);
    } catch {
      usage(`cannot read --file ${values.file}`);
    }
  }
  const rpcUrl = values.rpc ?? process.env.CHAIN_RPC_URL ?? "http://127.0.0.1:8545";
  const result: VerificationResult = values.offline
    ? verifyCertificateOffline(certificate, { file })
    : await verifyCertificate(certificate, { rpcUrl, file });
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
  process.exit(result.valid ? 0 : result.code === "CHAIN_UNAVAILABLE" ? 3 : 1);
}

void main();
