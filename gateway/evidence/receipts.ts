import { getBytes, Signature, SigningKey, computeAddress } from "ethers";
import {
  RECEIPT_BATCH_FORMAT,
  RECEIPT_FORMAT,
  receiptDigestBytes,
  type EvidenceReceipt,
  type ReceiptFields,
} from "tech-transfer-ledger/sdk";
import { ScopedStorage } from "../util/scopedStorage";
import { EvidenceThread } from "./evidenceThread";
import type { ReceiptSignature } from "./evidenceThread.worker";

/** The response header that carries the receipts of what a request recorded. */
export const RECEIPTS_HEADER = "Evidence-Receipts";
/** How many records the request made in all, when that is more than the header carries. */
export const RECEIPTS_TOTAL_HEADER = "Evidence-Receipts-Total";
/**
 * At most this many receipts ride in the header (7 to 11 KB as base64url, the larger
 * when they were signed together and carry proofs): HTTP clients
 * refuse answers whose headers pass 16 KB, and a bulk write (a catalogue import) makes
 * hundreds of records. The others are fetched with `GET /v1/evidence/:id/receipt`.
 */
export const MAX_RECEIPTS_IN_HEADER = 12;

type Sign = (digest: Uint8Array) => string;

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
 * A receipt is signed on every write, and its digest and ECDSA signature cost more
 * CPU than most of a record's intake: `sign` hands both to the evidence thread
 * (evidenceThread.ts) while the record goes to disk; where the thread is not
 * running, it signs here.
 */
export class ReceiptSigner {
  readonly address: string;
  private readonly signHere: Sign;
  private readonly thread: EvidenceThread;
  private readonly key: number | undefined;

  constructor(
    privateKey: string,
    private readonly chainId: string,
    { thread = true }: { thread?: boolean } = {},
  ) {
    this.address = computeAddress(privateKey);
    this.signHere = signerFor(privateKey);
    this.thread = thread ? EvidenceThread.forProcess() : EvidenceThread.here();
    this.key = thread ? this.thread.addKey(privateKey) : undefined;
  }

  /** Whether receipts are signed on the evidence thread (else here). */
  get threaded(): boolean {
    return this.key !== undefined && this.thread.threaded;
  }

  /** The receipt of a record, signed at once on this thread. */
  receiptFor(fields: ReceiptFields): EvidenceReceipt {
    return this.receiptWith(fields, this.signHere(receiptDigestBytes(this.chainId, fields)));
  }

  /**
   * The receipt of a record, signed on the evidence thread when it runs, in a
   * batch with the others of the same message (format @2) or, with `alone`, on
   * its own (@1): the receipt `receiptFor` and `GET /v1/evidence/:id/receipt`
   * derive again, byte for byte (signatures are RFC 6979 deterministic), which an
   * answer kept without its receipt relies on (`Route.completeAnswer`). Never
   * rejects.
   */
  async sign(fields: ReceiptFields, { alone = false }: { alone?: boolean } = {}): Promise<EvidenceReceipt> {
    const signHere = () => this.signHere(receiptDigestBytes(this.chainId, fields));
    if (this.key === undefined) return this.receiptWith(fields, signHere());
    const signature = await this.thread.sign({ key: this.key, chainId: this.chainId, fields, alone }, signHere);
    return this.receiptWith(fields, signature);
  }

  /** Makes the evidence thread forget the key. */
  async close(): Promise<void> {
    if (this.key !== undefined) this.thread.dropKey(this.key);
  }

  private receiptWith(fields: ReceiptFields, signed: ReceiptSignature): EvidenceReceipt {
    const { recordId, subject, seq, commitment } = fields;
    const common = { chainId: this.chainId, recordId, subject, seq, commitment, signer: this.address };
    if (typeof signed === "string") return { format: RECEIPT_FORMAT, ...common, signature: signed };
    return { format: RECEIPT_BATCH_FORMAT, ...common, proof: signed.proof, signature: signed.signature };
  }
}

/**
 * The receipts of the records one request made, as they are signed. Every
 * answer that recorded evidence carries them in the `Evidence-Receipts` header:
 * base64url of a JSON array of receipts (the first {@link MAX_RECEIPTS_IN_HEADER};
 * `Evidence-Receipts-Total` then says how many records the request made). The
 * SDK's client keeps them (`client.receipts()`).
 */
export class ReceiptCollector {
  private readonly made: Array<{ recordId: string; receipt: Promise<EvidenceReceipt> }> = [];

  /** Called by the recorder once a record is durable. */
  add(recordId: string, receipt: Promise<EvidenceReceipt>): void {
    this.made.push({ recordId, receipt });
  }

  /** The receipt of record `recordId`, if this request made it. */
  async receiptOf(recordId: string): Promise<EvidenceReceipt | undefined> {
    return this.made.find((entry) => entry.recordId === recordId)?.receipt;
  }

  /** The headers that carry the receipts (none when the request recorded nothing). */
  async headers(): Promise<Record<string, string>> {
    if (this.made.length === 0) return {};
    const carried = await Promise.all(this.made.slice(0, MAX_RECEIPTS_IN_HEADER).map((entry) => entry.receipt));
    const headers: Record<string, string> = {
      [RECEIPTS_HEADER]: Buffer.from(JSON.stringify(carried)).toString("base64url"),
    };
    if (this.made.length > carried.length) headers[RECEIPTS_TOTAL_HEADER] = String(this.made.length);
    return headers;
  }
}

/**
 * The collector of the request being handled, for the services a route calls
 * without handing it over (most of them). Routes that hand it over themselves
 * (`Route.explicitScope`) do not enter it, which spares them the async-local
 * storage's cost (ScopedStorage).
 */
const requestReceipts = new ScopedStorage<ReceiptCollector>();

/** Runs `task` (a request's handling) with `collector` as the current request's receipts. */
export function collectReceiptsWhile<R>(collector: ReceiptCollector, task: () => Promise<R>): Promise<R> {
  return requestReceipts.run(collector, task);
}

/** The receipts of the request being handled: none outside a request (records made in the background have none). */
export function currentReceipts(): ReceiptCollector | undefined {
  return requestReceipts.getStore();
}
