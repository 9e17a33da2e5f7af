import { AsyncLocalStorage } from "node:async_hooks";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Context, Next } from "koa";
import { getBytes, Signature, SigningKey, computeAddress } from "ethers";
import { RECEIPT_FORMAT, receiptDigest, type EvidenceReceipt, type ReceiptFields } from "tech-transfer-ledger/sdk";

/** The response header that carries the receipts of what a request recorded. */
export const RECEIPTS_HEADER = "Evidence-Receipts";
/** How many records the request made in all, when that is more than the header carries. */
export const RECEIPTS_TOTAL_HEADER = "Evidence-Receipts-Total";
/**
 * At most this many receipts ride in the header (about 7 KB as base64url): HTTP clients
 * refuse answers whose headers pass 16 KB, and a bulk write (a catalogue import) makes
 * hundreds of records. The others are fetched with `GET /v1/evidence/:id/receipt`.
 */
export const MAX_RECEIPTS_IN_HEADER = 12;

type Sign = (digest: Uint8Array) => string;

/** A receipt digest waiting for its signature. */
interface Pending {
  digest: Uint8Array;
  resolve(signature: string): void;
}

/**
 * Signing with the native libsecp256k1 binding where it loads (a receipt is
 * signed on every write, so it must cost little), and ethers' portable
 * implementation elsewhere; both give the same RFC 6979 deterministic signature.
 */
function signerFor(privateKey: string): Sign {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const secp = require("secp256k1/bindings") as {
      ecdsaSign(digest: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
    };
    const key = getBytes(privateKey);
    return (digest) => {
      const { signature, recid } = secp.ecdsaSign(digest, key);
      return `0x${Buffer.from(signature).toString("hex")}${(27 + recid).toString(16)}`;
    };
  } catch {
    const key = new SigningKey(privateKey);
    return (digest) => Signature.from(key.sign(digest)).serialized;
  }
}

/**
 * Signs evidence receipts with the gateway's published key (the anchoring key,
 * named in the trust anchor's `receiptSigners`): a party that kept a receipt can
 * show that the gateway acknowledged a record at that place in its subject's chain,
 * which is how a dossier cut short at the end is caught (docs/DOSSIER.md).
 *
 * A receipt is signed on every write, and an ECDSA signature costs more CPU than
 * the rest of a record's intake: `sign` hands it to a thread of its own
 * (receiptSigner.worker.cjs), in batches, while the record goes to disk; where
 * the thread cannot start, or stops, it signs here.
 */
export class ReceiptSigner {
  readonly address: string;
  private readonly signHere: Sign;
  private worker: Worker | undefined;
  private queued: Pending[] = [];
  /** Batches the thread has not answered yet, kept to sign here should it stop. */
  private readonly inFlight = new Map<number, Pending[]>();
  private batches = 0;
  private flushScheduled = false;

  constructor(
    privateKey: string,
    private readonly chainId: string,
    { thread = true }: { thread?: boolean } = {},
  ) {
    this.address = computeAddress(privateKey);
    this.signHere = signerFor(privateKey);
    if (thread) this.startWorker(privateKey);
  }

  /** Whether receipts are signed on the signer's own thread (else here). */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  /** The receipt of a record, signed at once on this thread. */
  receiptFor(fields: ReceiptFields): EvidenceReceipt {
    return this.receiptWith(fields, this.signHere(getBytes(receiptDigest(this.chainId, fields))));
  }

  /** The receipt of a record, signed on the signer's thread when it runs. Never rejects. */
  async sign(fields: ReceiptFields): Promise<EvidenceReceipt> {
    const digest = getBytes(receiptDigest(this.chainId, fields));
    if (!this.worker) return this.receiptWith(fields, this.signHere(digest));
    const signature = await new Promise<string>((resolve) => {
      this.queued.push({ digest, resolve });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
    return this.receiptWith(fields, signature);
  }

  /** Stops the signer's thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.stopWorker();
    await worker?.terminate();
  }

  private receiptWith(fields: ReceiptFields, signature: string): EvidenceReceipt {
    const { recordId, subject, seq, commitment } = fields;
    return {
      format: RECEIPT_FORMAT,
      chainId: this.chainId,
      recordId,
      subject,
      seq,
      commitment,
      signer: this.address,
      signature,
    };
  }

  private flush(): void {
    this.flushScheduled = false;
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 0) return;
    if (!this.worker) {
      for (const { digest, resolve } of queued) resolve(this.signHere(digest));
      return;
    }
    const batch = this.batches++;
    this.inFlight.set(batch, queued);
    this.worker.postMessage({ batch, digests: queued.map((entry) => entry.digest) });
  }

  private startWorker(privateKey: string): void {
    try {
      const worker = new Worker(path.join(__dirname, "receiptSigner.worker.cjs"), { workerData: { privateKey } });
      worker.unref();
      worker.on("message", (message: { batch?: number; signatures?: string[] }) => {
        if (message.batch === undefined || !message.signatures) return;
        const pending = this.inFlight.get(message.batch);
        this.inFlight.delete(message.batch);
        message.signatures.forEach((signature, i) => pending?.[i].resolve(signature));
      });
      const fallBack = () => this.stopWorker();
      worker.on("error", fallBack);
      worker.on("exit", fallBack);
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  /** Signs here from now on, including what the thread was given and did not answer. */
  private stopWorker(): void {
    if (!this.worker) return;
    this.worker = undefined;
    for (const pending of this.inFlight.values()) {
      for (const { digest, resolve } of pending) resolve(this.signHere(digest));
    }
    this.inFlight.clear();
  }
}

/** The receipts of the records made while handling the current request, as they are signed. */
const collected = new AsyncLocalStorage<Array<{ recordId: string; receipt: Promise<EvidenceReceipt> }>>();

/** Whether receipts are collected here: inside a request (records made in the background have none). */
export function collectingReceipts(): boolean {
  return collected.getStore() !== undefined;
}

/** Called by the recorder once a record is durable: inside a request, its receipt joins the answer. */
export function collectReceipt(recordId: string, receipt: Promise<EvidenceReceipt>): void {
  collected.getStore()?.push({ recordId, receipt });
}

/** The receipt of record `recordId` made in the current request, if any. */
export async function receiptOf(recordId: string): Promise<EvidenceReceipt | undefined> {
  return collected.getStore()?.find((r) => r.recordId === recordId)?.receipt;
}

/**
 * Every answer that recorded evidence carries the receipts of those records in
 * the `Evidence-Receipts` header: base64url of a JSON array of receipts (the first
 * {@link MAX_RECEIPTS_IN_HEADER}; `Evidence-Receipts-Total` then says how many records
 * the request made). The SDK's client keeps them (`client.receipts()`).
 */
export function evidenceReceipts() {
  return async function evidenceReceipts(ctx: Context, next: Next): Promise<void> {
    const made: Array<{ recordId: string; receipt: Promise<EvidenceReceipt> }> = [];
    await collected.run(made, next);
    if (made.length > 0 && ctx.status < 400) {
      const carried = await Promise.all(made.slice(0, MAX_RECEIPTS_IN_HEADER).map((entry) => entry.receipt));
      ctx.set(RECEIPTS_HEADER, Buffer.from(JSON.stringify(carried)).toString("base64url"));
      if (made.length > carried.length) ctx.set(RECEIPTS_TOTAL_HEADER, String(made.length));
    }
  };
}
