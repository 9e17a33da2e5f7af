import { reduceDispute } from "tech-transfer-ledger/sdk";
import type { DisputeSummary } from "tech-transfer-ledger/sdk";
import type { Dispute, EscrowAgreement } from "../types";
import { escrowEventRecord } from "./record";
import type { EscrowReducer } from "./types";

/**
 * Any event, for the milestone's dispute: the SDK's `reduceDispute` (the one
 * function that says how a dispute moves, which a dossier's verifier runs too)
 * applied to the event's own record. `DisputeOpened` starts the dispute; its
 * steps, and the bank's execution of its outcome, move it and join their record
 * ids; any other event leaves it alone.
 */
export const disputeStep: EscrowReducer = (event, holdings, recordId) => {
  const { agreement, milestone, dispute } = holdings;
  const record = {
    header: { id: recordId, kind: "escrow.event" },
    data: escrowEventRecord(event, agreement, milestone).data,
  };
  const before = dispute ? summaryOf(dispute, agreement) : undefined;
  const after = reduceDispute(before, record, milestone);
  if (!after || after === before) return {};
  return { dispute: disputeOf(after, agreement, event.blockTime) };
};

/**
 * The gateway keeps a dispute as its API shows it: parties by user id, amounts as
 * numbers, deadlines spelled as escrow time. These two convert between that and
 * the SDK's summary (addresses, decimal strings, clock seconds), losing nothing.
 */
export function summaryOf(dispute: Dispute, agreement: EscrowAgreement): DisputeSummary {
  const addressOf = (userId: string) =>
    userId === agreement.supplierId ? agreement.message.supplier : agreement.message.demander;
  const { proposal, settlement, ruling, appeal, rulingDeadline, arbitratorReplacements } = dispute;
  return {
    id: dispute.id,
    dealId: dispute.dealId,
    milestone: dispute.milestone,
    status: dispute.status,
    openedBy: addressOf(dispute.openedBy),
    openedAt: dispute.openedAt,
    reasonDigest: dispute.reasonDigest,
    ...(proposal && {
      proposal: {
        ...proposal,
        by: addressOf(proposal.by),
        release: `${proposal.release}`,
        refund: `${proposal.refund}`,
      },
    }),
    ...(settlement && {
      settlement: { ...settlement, release: `${settlement.release}`, refund: `${settlement.refund}` },
    }),
    ...(rulingDeadline !== undefined && { rulingDeadline: Number(rulingDeadline.replace(ESCROW_TIME, "")) }),
    ...(ruling && {
      ruling: {
        release: `${ruling.release}`,
        refund: `${ruling.refund}`,
        digest: ruling.digest,
        at: ruling.at,
        ...(ruling.appealEnds !== undefined && { appealEnds: ruling.appealEnds }),
        final: ruling.final,
      },
    }),
    ...(appeal && { appeal: { ...appeal, by: addressOf(appeal.by) } }),
    ...(arbitratorReplacements && { arbitratorReplacements: structuredClone(arbitratorReplacements) }),
    recordIds: dispute.recordIds,
  };
}

/** The gateway's dispute from the SDK's summary, as of `at`. */
export function disputeOf(summary: DisputeSummary, agreement: EscrowAgreement, at: string): Dispute {
  const partyOf = (address: string) =>
    address.toLowerCase() === agreement.message.supplier.toLowerCase() ? agreement.supplierId : agreement.demanderId;
  const { proposal, settlement, ruling, appeal, rulingDeadline, arbitratorReplacements } = summary;
  return {
    id: summary.id,
    dealId: summary.dealId,
    milestone: summary.milestone,
    openedBy: partyOf(summary.openedBy),
    openedAt: summary.openedAt,
    reasonDigest: summary.reasonDigest,
    arbitratorId: agreement.arbitratorId,
    status: summary.status,
    ...(proposal && {
      proposal: {
        ...proposal,
        by: partyOf(proposal.by),
        release: Number(proposal.release),
        refund: Number(proposal.refund),
      },
    }),
    ...(settlement && {
      settlement: { ...settlement, release: Number(settlement.release), refund: Number(settlement.refund) },
    }),
    ...(rulingDeadline !== undefined && { rulingDeadline: `${ESCROW_TIME}${rulingDeadline}` }),
    ...(ruling && { ruling: { ...ruling, release: Number(ruling.release), refund: Number(ruling.refund) } }),
    ...(appeal && { appeal: { ...appeal, by: partyOf(appeal.by) } }),
    ...(arbitratorReplacements && { arbitratorReplacements }),
    recordIds: summary.recordIds,
    updatedAt: at,
  };
}

/** How the gateway spells a time on the escrow's clock. */
const ESCROW_TIME = "escrow time ";
