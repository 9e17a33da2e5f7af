import type { EscrowEvent, MilestoneHoldings } from "../../gateway/escrow/reducers";
import type { EscrowAgreement, Instruction } from "../../gateway/escrow/types";

/** Addresses of the parties in the agreement below (any 20 bytes do: reducers compare, never recover). */
export const SUPPLIER = "0x1111111111111111111111111111111111111111";
export const DEMANDER = "0x2222222222222222222222222222222222222222";

/** An agreement as the gateway keeps it once the deal is on chain: only what reducers read is meaningful. */
export const agreement: EscrowAgreement = {
  dealId: "deal_1",
  chainDealId: `0x${"ab".repeat(32)}`,
  version: 1,
  supplierId: "usr_supplier",
  demanderId: "usr_demander",
  arbitratorId: "usr_arbitrator",
  currency: "CNY",
  total: 300_000,
  milestones: [{ title: "Process package", amount: 300_000, deliverBy: "2027-01-01T00:00:00.000Z" }],
  contract: { name: "contract.pdf", sha256: `0x${"cd".repeat(32)}` },
  message: {
    dealId: `0x${"ab".repeat(32)}`,
    supplier: SUPPLIER,
    demander: DEMANDER,
    arbitrator: "0x3333333333333333333333333333333333333333",
    contractDigest: `0x${"cd".repeat(32)}`,
    currency: "0x434e59",
    amounts: ["300000"],
    deadlines: ["1798761600"],
    inspectionPeriod: 86_400,
    gracePeriod: 86_400,
    maxChangeRounds: 2,
    rulingPeriod: 604_800,
    appealWindow: 3_600,
  },
  termsDigest: `0x${"ef".repeat(32)}`,
  proposedBy: "usr_supplier",
  proposedAt: "2026-11-01T00:00:00.000Z",
  recordId: "rec_terms",
  signatures: {},
  status: "created",
};

/** What the gateway holds of milestone 0 before an event, with `more` laid over it. */
export function holdings(more: Partial<MilestoneHoldings> = {}): MilestoneHoldings {
  return { agreement, milestone: 0, ...more };
}

let nextLog = 0;

/** An escrow event of milestone 0 as the port decodes it; each call is a later log. */
export function escrowEvent(event: string, args: Record<string, unknown> = {}): EscrowEvent {
  const logIndex = nextLog++;
  return {
    event,
    args: { dealId: agreement.chainDealId, milestone: "0", ...args },
    transactionHash: `0x${String(logIndex).padStart(64, "0")}`,
    blockNumber: 100 + logIndex,
    logIndex,
    blockTime: new Date(Date.UTC(2026, 10, 2, 0, logIndex)).toISOString(),
  };
}

/** A `bytes32` bank reference as the escrow emits it: the text, zero-padded. */
export const bytes32Text = (text: string) => `0x${Buffer.from(text, "ascii").toString("hex").padEnd(64, "0")}`;

/** An instruction the bank works on, issued by an earlier event. */
export function instruction(more: Partial<Instruction> = {}): Instruction {
  return {
    id: "deal_1.m0.release.1",
    dealId: agreement.dealId,
    milestone: 0,
    attempt: 1,
    kind: "release",
    currency: "CNY",
    release: 300_000,
    refund: 0,
    supplierId: agreement.supplierId,
    demanderId: agreement.demanderId,
    issuedAt: "2026-11-01T12:00:00.000Z",
    issuedTx: `0x${"99".repeat(32)}`,
    bankStatus: "pending",
    chainStatus: "issued",
    reports: [],
    version: 1,
    updatedAt: "2026-11-01T12:00:00.000Z",
    ...more,
  };
}
