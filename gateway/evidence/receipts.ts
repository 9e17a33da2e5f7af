import { AsyncLocalStorage } from "node:async_hooks";
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
 */
export class ReceiptSigner {
  readonly address: string;
  private readonly sign: Sign;

  constructor(
    privateKey: string,
    private readonly chainId: string,
  ) {
    this.address = computeAddress(privateKey);
    this.sign = signerFor(privateKey);
  }

  receiptFor(fields: ReceiptFields): EvidenceReceipt {
    const { recordId, subject, seq, commitment } = fields;
    const signature = this.sign(getBytes(receiptDigest(this.chainId, fields)));
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
}

/** The receipts of the records made while handling the current request. */
const collected = new AsyncLocalStorage<EvidenceReceipt[]>();

/**
 * Called by the recorder once a record is durable: inside a request, its receipt
 * joins the answer. Records made in the background (the escrow watcher) have none.
 */
export function collectReceipt(signer: ReceiptSigner | undefined, fields: ReceiptFields): EvidenceReceipt | undefined {
  const receipts = collected.getStore();
  if (!receipts || !signer) return undefined;
  const receipt = signer.receiptFor(fields);
  receipts.push(receipt);
  return receipt;
}

/** The receipt of record `recordId` made in the current request, if any. */
export function receiptOf(recordId: string): EvidenceReceipt | undefined {
  return collected.getStore()?.find((r) => r.recordId === recordId);
}

/**
 * Every answer that recorded evidence carries the receipts of those records in
 * the `Evidence-Receipts` header: base64url of a JSON array of receipts (the first
 * {@link MAX_RECEIPTS_IN_HEADER}; `Evidence-Receipts-Total` then says how many records
 * the request made). The SDK's client keeps them (`client.receipts()`).
 */
export function evidenceReceipts() {
  return async function evidenceReceipts(ctx: Context, next: Next): Promise<void> {
    const receipts: EvidenceReceipt[] = [];
    await collected.run(receipts, next);
    if (receipts.length > 0 && ctx.status < 400) {
      const carried = receipts.slice(0, MAX_RECEIPTS_IN_HEADER);
      ctx.set(RECEIPTS_HEADER, Buffer.from(JSON.stringify(carried)).toString("base64url"));
      if (receipts.length > carried.length) ctx.set(RECEIPTS_TOTAL_HEADER, String(receipts.length));
    }
  };
}
