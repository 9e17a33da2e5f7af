// The evidence thread (evidenceThread.ts): seals the fields of records and signs
// receipts, beside the request handling. It imports the two SDK modules it runs
// rather than the SDK's surface: the surface loads ethers, zod and age, about
// 0.7 s of a thread's start, for functions that need none of them
// (test/architecture/sdkSurface.test.ts names this exception).
import { parentPort } from "node:worker_threads";
import { sealFields } from "../../sdk/evidence/sealRecord";
import {
  receiptBatchDigestBytes,
  receiptDigestBytes,
  type ReceiptDigestFields,
} from "../../sdk/receipts/receiptDigest";
import { MAX_RECEIPTS_PER_SIGNATURE, receiptBatchTree } from "../../sdk/receipts/receiptBatch";

// The native libsecp256k1 binding: RFC 6979 deterministic, so the same signature
// as ethers gives on the main thread when this thread is not running.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const secp = require("secp256k1/bindings") as {
  ecdsaSign(digest: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
};

export type EvidenceJob =
  | { kind: "seal"; data: Record<string, unknown> }
  | {
      kind: "sign";
      key: number;
      chainId: string;
      fields: ReceiptDigestFields;
      /** Signed on its own (format @1), never together with others. */
      alone?: boolean;
    };

/** A receipt's signature: its own (format @1), or its batch's with the proof to the signed root (@2). */
export type ReceiptSignature = string | { signature: string; proof: string[] };

export type EvidenceMessage =
  { batch: number; jobs: EvidenceJob[] } | { addKey: number; privateKey: string } | { dropKey: number };

const keys = new Map<number, Uint8Array>();

function sign(digest: Uint8Array, key: Uint8Array): string {
  const { signature, recid } = secp.ecdsaSign(digest, key);
  return `0x${Buffer.from(signature).toString("hex")}${(27 + recid).toString(16)}`;
}

/**
 * The receipts of one message, signed together where several share a key and a
 * chain: one signature per {@link MAX_RECEIPTS_PER_SIGNATURE}, over the root of
 * their tree (format @2). A receipt alone, or asked to be signed alone, is signed
 * on its own (@1).
 */
function signReceipts(jobs: Array<Extract<EvidenceJob, { kind: "sign" }>>): Array<ReceiptSignature | undefined> {
  const groups = new Map<string, number[]>();
  jobs.forEach((job, i) => {
    // A receipt to be signed alone is a group of its own.
    const group = job.alone ? `alone:${i}` : `${job.key}:${job.chainId}`;
    groups.set(group, [...(groups.get(group) ?? []), i]);
  });
  const results: Array<ReceiptSignature | undefined> = new Array(jobs.length);
  for (const indices of groups.values()) {
    const key = keys.get(jobs[indices[0]].key);
    if (!key) continue;
    for (let start = 0; start < indices.length; start += MAX_RECEIPTS_PER_SIGNATURE) {
      const chunk = indices.slice(start, start + MAX_RECEIPTS_PER_SIGNATURE);
      const { chainId } = jobs[chunk[0]];
      if (chunk.length === 1) {
        results[chunk[0]] = sign(receiptDigestBytes(chainId, jobs[chunk[0]].fields), key);
        continue;
      }
      const tree = receiptBatchTree(chunk.map((i) => jobs[i].fields));
      const signature = sign(receiptBatchDigestBytes(chainId, tree.root), key);
      chunk.forEach((i, leaf) => (results[i] = { signature, proof: tree.proof(leaf) }));
    }
  }
  return results;
}

function runAll(jobs: EvidenceJob[]): unknown[] {
  const results: unknown[] = new Array(jobs.length);
  const signing: number[] = [];
  jobs.forEach((job, i) => {
    if (job.kind === "sign") return signing.push(i);
    try {
      results[i] = sealFields(job.data);
    } catch {
      // Done again on the main thread, which reports the problem.
      results[i] = undefined;
    }
  });
  if (signing.length > 0) {
    try {
      const signed = signReceipts(signing.map((i) => jobs[i] as Extract<EvidenceJob, { kind: "sign" }>));
      signing.forEach((i, n) => (results[i] = signed[n]));
    } catch {
      // Left undefined: signed again on the main thread.
    }
  }
  return results;
}

parentPort!.on("message", (message: EvidenceMessage) => {
  if ("addKey" in message) {
    keys.set(message.addKey, Buffer.from(message.privateKey.slice(2), "hex"));
    return;
  }
  if ("dropKey" in message) {
    keys.get(message.dropKey)?.fill(0);
    keys.delete(message.dropKey);
    return;
  }
  parentPort!.postMessage({ batch: message.batch, results: runAll(message.jobs) });
});
parentPort!.postMessage({ ready: true });
