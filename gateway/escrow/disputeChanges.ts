import type { LogDescription } from "ethers";
import { type BatchOperation } from "../store/database";
import type { EscrowRepository } from "./repository";
import { disputeIdOf, type Dispute, type EscrowAgreement } from "./types";

/**
 * How an escrow event changes the milestone's dispute, as a write to make in
 * the event's own atomic write (given its record id); undefined when the event
 * is not part of a dispute. `DisputeOpened` creates the dispute; the others move
 * it along as the chain does: settled, arbitration, ruled, appealed, final, and
 * the bank's execution of the outcome joins its records.
 */
export async function disputeChangeFor(
  tables: EscrowRepository,
  event: LogDescription,
  agreement: EscrowAgreement,
  milestone: number,
  at: string,
): Promise<((recordId: string) => BatchOperation) | undefined> {
  const id = disputeIdOf(agreement.dealId, milestone);
  const a = event.args;
  const partyOf = (address: string) =>
    address.toLowerCase() === agreement.message.supplier.toLowerCase() ? agreement.supplierId : agreement.demanderId;
  let dispute = await tables.disputes.get(id);
  if (event.name === "DisputeOpened") {
    dispute = {
      id,
      dealId: agreement.dealId,
      milestone,
      openedBy: partyOf(a.by),
      openedAt: at,
      reasonDigest: a.reasonDigest,
      arbitratorId: agreement.arbitratorId,
      status: "open",
      recordIds: [],
      updatedAt: at,
    };
  } else if (!dispute) {
    return undefined;
  } else {
    dispute = structuredClone(dispute);
    switch (event.name) {
      case "SettlementProposed":
        dispute.proposal = { by: partyOf(a.by), release: Number(a.release), refund: Number(a.refund), at };
        break;
      case "SettlementAccepted":
        dispute.status = "settled";
        dispute.settlement = { release: Number(a.release), refund: Number(a.refund), at };
        break;
      case "DisputeEscalated":
        dispute.status = "arbitration";
        dispute.rulingDeadline = `escrow time ${a.rulingDeadline}`;
        break;
      case "RulingIssued": {
        const appealEnds = Number(a.appealEnds);
        dispute.status = appealEnds === 0 ? "final" : "ruled";
        dispute.ruling = {
          release: Number(a.release),
          refund: Number(a.refund),
          digest: a.rulingDigest,
          at,
          appealEnds: appealEnds || undefined,
          final: appealEnds === 0,
        };
        break;
      }
      case "RulingAppealed":
        dispute.status = "appealed";
        dispute.appeal = { by: partyOf(a.by), groundsDigest: a.groundsDigest, at };
        dispute.rulingDeadline = `escrow time ${a.rulingDeadline}`;
        break;
      case "RulingFinalized":
        dispute.status = "final";
        if (dispute.ruling) dispute.ruling.final = true;
        break;
      case "MilestoneCancelled":
        dispute.status = "cancelled";
        break;
      default:
        // The bank's execution of the outcome belongs to the dispute's story too; nothing else does.
        if (!/^(Instruction|Milestone(Released|Refunded|Split))/.test(event.name)) return undefined;
    }
  }
  const next: Dispute = dispute;
  return (recordId) => ({
    type: "put",
    sublevel: tables.disputes,
    key: id,
    value: { ...next, recordIds: [...next.recordIds, recordId], updatedAt: at },
  });
}
