// `npm run import -- listings.jsonl --as <user id>`: imports a catalogue of listings, one JSON listing a
// line, for one certified user, through the gateway's normal publishing path (docs/MARKET.md, "Importing a
// catalogue"). Options:
//   --dry-run            check every line and report each refusal with its line number; change nothing
//   --print-batch        print the batch id and the text a reviewer signs to pre-approve it, then stop
//   --approval FILE      {"reviewerId": "usr_…", "signature": "0x…"}: the reviewer's signature of that text
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080); the operator credential from
// TTL_OPERATOR_TOKEN or DATA_DIR/operator.key (DATA_DIR default ./data).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { batchId, IMPORT_CHUNK, importApprovalMessage, lineDigest, type LineOutcome } from "../gateway/market/imports";
import { progressBar } from "./lib/progress";

export interface ImportOptions {
  file: string;
  asUser: string;
  gateway: string;
  token: string;
  dryRun?: boolean;
  approval?: { reviewerId: string; signature: string };
  /** Called after each chunk is answered (tests stop a run here, as a crash would). */
  afterChunk?: (sent: number) => void;
  /** Chunks sent at once (default 2: the gateway works on one while the next travels). */
  inFlight?: number;
  /** Lines a request (default and most: IMPORT_CHUNK, 500). */
  chunkSize?: number;
}

export interface ImportReport {
  batchId?: string;
  lines: number;
  valid: number;
  published: number;
  approved: number;
  alreadyImported: number;
  refused: Array<{ line: number; importId?: string; problems: Array<{ path: string; message: string }> }>;
}

interface ParsedLine {
  line: number;
  importId: string;
  content: unknown;
}

/**
 * The file's lines: each a JSON listing, optionally with its own `importId`
 * (the catalogue's id; taken out of the listing). Without one, the import id is
 * the digest of the listing, so the same line is the same import.
 */
export function readCatalogue(text: string): { lines: ParsedLine[]; refused: ImportReport["refused"]; count: number } {
  const lines: ParsedLine[] = [];
  const refused: ImportReport["refused"] = [];
  const firstLineOf = new Map<string, number>();
  let count = 0;
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    count++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      refused.push({ line, problems: [{ path: "", message: `not JSON: ${(error as Error).message}` }] });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      refused.push({ line, problems: [{ path: "", message: "a line must be one JSON object (a listing)" }] });
      return;
    }
    const { importId: own, ...content } = value as Record<string, unknown>;
    if (own !== undefined && (typeof own !== "string" || own.length === 0 || own.length > 200)) {
      refused.push({ line, problems: [{ path: "importId", message: "a string of 1 to 200 characters" }] });
      return;
    }
    const importId = (own as string | undefined) ?? lineDigest(content);
    const first = firstLineOf.get(importId);
    if (first !== undefined) {
      refused.push({
        line,
        importId,
        problems: [{ path: "importId", message: `the same import id as line ${first}` }],
      });
      return;
    }
    firstLineOf.set(importId, line);
    lines.push({ line, importId, content });
  });
  return { lines, refused, count };
}

async function call(options: ImportOptions, method: string, route: string, body: unknown): Promise<any> {
  const response = await fetch(`${options.gateway}${route}`, {
    method,
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as any;
  if (!response.ok) {
    const error = answer?.error ?? {};
    throw new Error(`${method} ${route}: ${response.status} ${error.code ?? ""} ${error.message ?? ""}`.trim());
  }
  return answer;
}

/** Runs an import (or a dry run) against a running gateway; what the command prints is made from the report. */
export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const catalogue = readCatalogue(await readFile(options.file, "utf8"));
  const report: ImportReport = {
    lines: catalogue.count,
    valid: 0,
    published: 0,
    approved: 0,
    alreadyImported: 0,
    refused: [...catalogue.refused],
  };
  let route = "/v1/imports/dry-run";
  if (!options.dryRun) {
    const manifest = Object.fromEntries(catalogue.lines.map((l) => [l.importId, lineDigest(l.content)]));
    const batch = await call(options, "POST", "/v1/imports", {
      asUser: options.asUser,
      manifest,
      approval: options.approval,
    });
    report.batchId = batch.id;
    route = `/v1/imports/${batch.id}/lines`;
  }
  const bar = progressBar(options.dryRun ? "checking" : "importing");
  let sent = 0;
  const chunks: ParsedLine[][] = [];
  const size = Math.min(options.chunkSize ?? IMPORT_CHUNK, IMPORT_CHUNK);
  for (let start = 0; start < catalogue.lines.length; start += size)
    chunks.push(catalogue.lines.slice(start, start + size));
  let next = 0;
  const sender = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      const body = options.dryRun ? { asUser: options.asUser, lines: chunk } : { lines: chunk };
      const { lines } = (await call(options, "POST", route, body)) as { lines: LineOutcome[] };
      for (const outcome of lines) {
        if (outcome.status === "refused") report.refused.push(outcome);
        else if (outcome.status === "valid") report.valid++;
        else if (outcome.status === "published") report.published++;
        else if (outcome.status === "approved") report.approved++;
        else report.alreadyImported++;
      }
      sent += chunk.length;
      bar.update(sent, catalogue.lines.length);
      options.afterChunk?.(sent);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.inFlight ?? 2, chunks.length) }, sender));
  bar.done();
  report.refused.sort((a, b) => a.line - b.line);
  return report;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      as: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "print-batch": { type: "boolean", default: false },
      approval: { type: "string" },
    },
  });
  const file = positionals[0];
  if (!file || !values.as) {
    console.error(
      "usage: npm run import -- listings.jsonl --as <user id> [--dry-run | --print-batch] [--approval FILE]",
    );
    process.exit(2);
  }
  if (values["print-batch"]) {
    const { lines } = readCatalogue(await readFile(file, "utf8"));
    const id = batchId(values.as, Object.fromEntries(lines.map((l) => [l.importId, lineDigest(l.content)])));
    console.log(`batch: ${id}\nreviewer signs (EIP-191): ${importApprovalMessage(id)}`);
    return;
  }
  const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;
  const token =
    process.env.TTL_OPERATOR_TOKEN ??
    (await readFile(path.join(path.resolve(process.env.DATA_DIR ?? "./data"), "operator.key"), "utf8")).trim();
  const approval = values.approval ? JSON.parse(await readFile(values.approval, "utf8")) : undefined;
  const started = Date.now();
  const report = await runImport({ file, asUser: values.as, gateway, token, dryRun: values["dry-run"], approval });
  for (const { line, problems } of report.refused) {
    for (const { path: where, message } of problems)
      console.log(`line ${line}: ${where ? `${where}: ` : ""}${message}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    values["dry-run"]
      ? `dry run: ${report.lines} lines, ${report.valid} valid, ${report.alreadyImported} already imported, ` +
          `${report.refused.length} refused; nothing changed (${seconds} s)`
      : `batch ${report.batchId}: ${report.lines} lines, ${report.published} published for review, ` +
          `${report.approved} published and approved, ${report.alreadyImported} already imported, ` +
          `${report.refused.length} refused (${seconds} s)`,
  );
  if (report.refused.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(2);
  });
}
