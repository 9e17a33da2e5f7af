// The evidence thread (evidenceThread.ts): seals the fields of records and signs
// receipts, beside the request handling. It imports the two SDK modules it runs
// rather than the SDK's surface: the surface loads ethers, zod and age, about
// 0.7 s of a thread's start, for functions that need none of them
// (test/architecture/sdkSurface.test.ts names this exception).
import { parentPort } from "node:worker_threads";
import { sealFields } from "../../sdk/evidence/sealRecord";
import { receiptDigestBytes, type ReceiptDigestFields } from "../../sdk/receipts/receiptDigest";

// The native libsecp256k1 binding: RFC 6979 deterministic, so the same signature
// as ethers gives on the main thread when this thread is not running.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const secp = require("secp256k1/bindings") as {
  ecdsaSign(digest: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
};

export type EvidenceJob =
  | { kind: "seal"; data: Record<string, unknown> }
  | { kind: "sign"; key: number; chainId: string; fields: ReceiptDigestFields };

export type EvidenceMessage =
  { batch: number; jobs: EvidenceJob[] } | { addKey: number; privateKey: string } | { dropKey: number };

const keys = new Map<number, Uint8Array>();

function run(job: EvidenceJob): unknown {
  if (job.kind === "seal") return sealFields(job.data);
  const key = keys.get(job.key);
  if (!key) return undefined;
  const { signature, recid } = secp.ecdsaSign(receiptDigestBytes(job.chainId, job.fields), key);
  return `0x${Buffer.from(signature).toString("hex")}${(27 + recid).toString(16)}`;
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
  const results = message.jobs.map((job) => {
    try {
      return run(job);
    } catch {
      // Done again on the main thread, which reports the problem.
      return undefined;
    }
  });
  parentPort!.postMessage({ batch: message.batch, results });
});
parentPort!.postMessage({ ready: true });
