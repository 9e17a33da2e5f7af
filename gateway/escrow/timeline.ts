import type { EvidenceService } from "../evidence/service";
import { escrowSubject } from "./types";

/** One delivery of a milestone and how its inspection ended, in escrow (block) time. */
export interface DeliveryTimes {
  milestone: number;
  submittedAt: string;
  /** When the demander accepted, asked for changes, disputed, or the inspection period lapsed. */
  inspectedAt?: string;
  outcome?: "DeliveryAccepted" | "ChangesRequested" | "InspectionLapsed" | "DisputeOpened";
}

/** The escrow events that end a delivery's inspection. */
const INSPECTION_ENDS = new Set(["DeliveryAccepted", "ChangesRequested", "InspectionLapsed", "DisputeOpened"]);

/**
 * A deal's deliveries as the escrow's events tell them (`escrow.event` records,
 * each with its block's time): when each delivery was submitted and when its
 * inspection ended. The deal statistics read delivery times here.
 */
export class EscrowTimeline {
  constructor(private readonly evidence: EvidenceService) {}

  /** Every delivery of the deal, in the order the escrow saw them. */
  async deliveries(dealId: string): Promise<DeliveryTimes[]> {
    const deliveries: DeliveryTimes[] = [];
    for (const record of await this.evidence.sealedOf(escrowSubject(dealId))) {
      if (record.header.kind !== "escrow.event") continue;
      const data = record.data as { event?: string; milestone?: number; blockTime?: string };
      if (data.milestone === undefined || !data.event) continue;
      const at = data.blockTime || record.header.recordedAt;
      if (data.event === "DeliverySubmitted") {
        deliveries.push({ milestone: data.milestone, submittedAt: at });
      } else if (INSPECTION_ENDS.has(data.event)) {
        const open = deliveries.findLast((d) => d.milestone === data.milestone && d.inspectedAt === undefined);
        if (open) Object.assign(open, { inspectedAt: at, outcome: data.event });
      }
    }
    return deliveries;
  }
}
