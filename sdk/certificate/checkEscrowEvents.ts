import type { Provider, TransactionReceipt } from "ethers";
import { DealEscrow__factory } from "../typechain/factories/contracts/DealEscrow__factory";
import { trustedAt, type TrustAnchor } from "../trust/trustAnchor";
import type { EvidenceCertificate } from "./types";

/**
 * What a record of kind `escrow.event` says the escrow emitted: a copy of one log
 * (`args`, `logIndex`), or, for the deal's creation recorded when the gateway
 * submitted it, the chain deal id and terms digest its `DealCreated` carries.
 */
interface RecordedEvent {
  event: string;
  args: Record<string, unknown>;
  transactionHash: string;
  blockNumber: number;
  logIndex?: number;
}

const escrowInterface = DealEscrow__factory.createInterface();

/**
 * Checks, on chain, every escrow event a dossier's records cite: that the stated
 * transaction holds, at the stated log index, an event of a trusted escrow with the
 * recorded name and arguments. The dispute summary is derived from these records,
 * so this is what ties the summary to the escrow itself. Skipped (and said so) when
 * the trust anchor names no escrow.
 */
export async function checkEscrowEvents(
  provider: Provider,
  trust: TrustAnchor,
  certificates: readonly EvidenceCertificate[],
): Promise<{ problem?: { code: string; reason: string }; detail: string }> {
  const cited = certificates.filter((c) => c.record.header.kind === "escrow.event");
  if (!trust.escrows?.length) {
    return { detail: `${cited.length} not checked on chain: the trust anchor names no escrow` };
  }
  const receipts = new Map<string, Promise<TransactionReceipt | null>>();
  for (const certificate of cited) {
    const seq = certificate.record.header.seq;
    const recorded = recordedEvent(certificate);
    const mismatch = (reason: string) => ({
      problem: { code: "ESCROW_EVENT_MISMATCH", reason: `seq ${seq}: ${reason}` },
      detail: "",
    });
    if (!recorded) return mismatch("the record does not say which transaction and log it copies");
    let receipt = receipts.get(recorded.transactionHash);
    if (!receipt) {
      receipt = provider.getTransactionReceipt(recorded.transactionHash);
      receipts.set(recorded.transactionHash, receipt);
    }
    const logs = (await receipt)?.logs ?? [];
    const log =
      recorded.logIndex === undefined
        ? logs.find(
            (l) =>
              escrowInterface.parseLog(l)?.name === recorded.event &&
              trustedAt(trust.escrows, l.address, l.blockNumber),
          )
        : logs.find((l) => l.index === recorded.logIndex);
    if (!log || log.blockNumber !== recorded.blockNumber) {
      return mismatch(
        `transaction ${recorded.transactionHash} has no ${recorded.logIndex === undefined ? recorded.event : `log ${recorded.logIndex}`} in block ${recorded.blockNumber}`,
      );
    }
    if (!trustedAt(trust.escrows, log.address, log.blockNumber)) {
      return mismatch(`the log was emitted by ${log.address}, not an escrow the trust anchor names`);
    }
    const parsed = escrowInterface.parseLog(log);
    if (!parsed || parsed.name !== recorded.event) {
      return mismatch(
        `the escrow emitted ${parsed?.name ?? "an unknown event"} there, the record says ${recorded.event}`,
      );
    }
    for (const [i, input] of parsed.fragment.inputs.entries()) {
      // The creation record names only the deal id and terms digest; a copied log names them all.
      if (recorded.logIndex === undefined && !Object.hasOwn(recorded.args, input.name)) continue;
      const onChain = asRecorded(parsed.args[i], input.type);
      if (String(recorded.args[input.name]) !== onChain) {
        return mismatch(
          `${recorded.event}.${input.name} is ${onChain} on chain, the record says ${String(recorded.args[input.name])}`,
        );
      }
    }
  }
  return { detail: `${cited.length} checked against the trusted escrow` };
}

function recordedEvent(certificate: EvidenceCertificate): RecordedEvent | undefined {
  const value = (name: string) => (certificate.record.fields[name] as { value?: unknown } | undefined)?.value;
  const event = value("event");
  const transactionHash = value("transactionHash");
  const blockNumber = value("blockNumber");
  if (typeof event !== "string" || typeof transactionHash !== "string" || !Number.isInteger(blockNumber))
    return undefined;
  if (event === "DealCreated" && value("args") === undefined) {
    return {
      event,
      args: { dealId: value("chainDealId"), termsDigest: value("termsDigest") },
      transactionHash,
      blockNumber: blockNumber as number,
    };
  }
  const args = value("args");
  const logIndex = value("logIndex");
  if (typeof args !== "object" || args === null || !Number.isInteger(logIndex)) return undefined;
  return {
    event,
    args: args as Record<string, unknown>,
    transactionHash,
    blockNumber: blockNumber as number,
    logIndex: logIndex as number,
  };
}

/** An event argument as the gateway records it: integers in decimal, bytes3/bytes4 codes as their ASCII text. */
function asRecorded(value: unknown, type: string): string {
  if (type === "bytes3" || type === "bytes4") {
    const hex = String(value).slice(2);
    let text = "";
    for (let i = 0; i < hex.length; i += 2) text += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
    return text.replace(/\0+$/, "");
  }
  return String(value);
}
