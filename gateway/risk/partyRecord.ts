import type { RiskRecordView, SealedRecord } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import type { DealComplaints } from "../deal/complaints";
import type { DealRatings } from "../deal/ratings";
import type { DealWorkspaces } from "../deal/workspace";
import type { DisputeService } from "../escrow/disputes";
import type { EscrowTerms } from "../escrow/terms";
import type { EvidenceService } from "../evidence/service";
import type { MatchService } from "../market/matches";

/** The services a party's record is read through: the market's deals, the workspace, the escrow, aftercare. */
export interface PartyRecordSources {
  matches: Pick<MatchService, "dealsOf">;
  dealWorkspaces: Pick<DealWorkspaces, "stateOf">;
  disputes: Pick<DisputeService, "list">;
  escrowTerms: Pick<EscrowTerms, "get">;
  evidence: Pick<EvidenceService, "sealedOf">;
  dealComplaints: Pick<DealComplaints, "list">;
  dealRatings: Pick<DealRatings, "summary">;
}

const COMPLETED = new Set(["delivered", "following_up", "closed", "archived"]);
/** States in which a milestone not yet delivered past its date is late (before signing there is no date; after, it was delivered or refunded). */
const PERFORMING = new Set(["signed", "performing", "disputed"]);

/** Risk control reads as an overseer; the figures it answers are the party's own. */
const READER: Principal = { kind: "service", id: "risk-control", label: "risk control", roles: ["auditor"] };

/**
 * A party's record: deals completed and cancelled, disputes opened and lost,
 * late deliveries, refunds, complaints upheld and ratings, each read through
 * the service that owns it. Read on demand (staff, a counter-party before it
 * confirms): nothing here is on the path of a bid or a deal move.
 */
export async function partyRecord(
  sources: PartyRecordSources,
  userId: string,
  now: Date,
): Promise<Omit<RiskRecordView, "blacklisted" | "suspended" | "openAlerts">> {
  const asParty: Principal = { kind: "user", id: userId, address: "", roles: [], certified: true };
  const deals = (await sources.matches.dealsOf(asParty)).filter((deal) =>
    [deal.supplierId, deal.demanderId].includes(userId),
  );
  const dealIds = new Set(deals.map((deal) => deal.id));
  let completed = 0;
  let cancelled = 0;
  let lateDeliveries = 0;
  let refunds = 0;
  for (const deal of deals) {
    const { state } = await sources.dealWorkspaces.stateOf(deal.id);
    if (COMPLETED.has(state)) completed++;
    if (state === "cancelled") cancelled++;
    if (deal.supplierId !== userId) continue;
    const agreement = await sources.escrowTerms.get(deal.id).catch(() => undefined);
    if (!agreement || agreement.status !== "created") continue;
    const events = (await sources.evidence.sealedOf(`deal:${deal.id}`)).filter(
      (record) => record.header.kind === "escrow.event",
    );
    lateDeliveries += lateMilestones(agreement.milestones, events, PERFORMING.has(state), now);
    refunds += events.filter(isRefund).length;
  }
  const disputes = (await sources.disputes.list(READER)).filter((dispute) => dealIds.has(dispute.dealId));
  const lost = disputes.filter((dispute) => {
    const outcome = dispute.ruling ?? undefined;
    if (!outcome) return false;
    const supplier = deals.find((deal) => deal.id === dispute.dealId)?.supplierId === userId;
    return supplier ? outcome.refund > outcome.release : outcome.release > outcome.refund;
  }).length;
  const complaints = (await sources.dealComplaints.list(READER)).filter(
    (complaint) => complaint.against.kind === "user" && complaint.against.userId === userId,
  );
  const rating = await sources.dealRatings.summary(userId);
  return {
    userId,
    deals: { total: deals.length, completed, cancelled, inProgress: deals.length - completed - cancelled },
    disputes: {
      opened: disputes.filter((dispute) => dispute.openedBy === userId).length,
      lost,
      total: disputes.length,
    },
    lateDeliveries,
    refunds,
    complaints: {
      against: complaints.length,
      upheld: complaints.filter((complaint) => complaint.status === "closed").length,
    },
    ratings: { count: rating.overall.count, mean: rating.overall.average },
    asOf: now.toISOString(),
  };
}

function isRefund(record: SealedRecord): boolean {
  const data = record.data as { event?: string; args?: Record<string, unknown> };
  if (data.event === "MilestoneRefunded") return true;
  return data.event === "MilestoneSplit" && Number(data.args?.refund ?? 0) > 0;
}

/** Milestones first delivered after their `deliverBy`, or (`running`) not delivered and past it. */
function lateMilestones(
  milestones: ReadonlyArray<{ deliverBy: string }>,
  events: readonly SealedRecord[],
  running: boolean,
  now: Date,
): number {
  const firstDelivery = new Map<number, string>();
  for (const record of events) {
    const data = record.data as { event?: string; milestone?: number; blockTime?: string };
    if (data.event !== "DeliverySubmitted" || data.milestone === undefined) continue;
    if (!firstDelivery.has(data.milestone))
      firstDelivery.set(data.milestone, data.blockTime || record.header.recordedAt);
  }
  let late = 0;
  milestones.forEach((milestone, index) => {
    const due = Date.parse(milestone.deliverBy);
    const delivered = firstDelivery.get(index);
    if (delivered !== undefined ? Date.parse(delivered) > due : running && now.getTime() > due) late++;
  });
  return late;
}
