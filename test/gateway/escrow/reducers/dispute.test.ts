import { describe, expect, it } from "vitest";
import { disputeOf, disputeStep, summaryOf } from "../../../../gateway/escrow/reducers/dispute";
import { escrowEventRecord } from "../../../../gateway/escrow/reducers/record";
import type { EscrowEvent } from "../../../../gateway/escrow/reducers";
import type { Dispute } from "../../../../gateway/escrow/types";
import { summarizeDispute } from "../../../../sdk";
import { agreement, DEMANDER, escrowEvent, holdings, SUPPLIER } from "../../../helpers/escrowEvents";

const REASONS = `0x${"01".repeat(32)}`;
const RULING = `0x${"02".repeat(32)}`;
const GROUNDS = `0x${"03".repeat(32)}`;

/** Applies the events in order, as the watcher does, each with its own record id. */
function run(events: EscrowEvent[], start?: Dispute) {
  let dispute = start;
  const written: Array<Dispute | undefined> = [];
  events.forEach((event, i) => {
    const next = disputeStep(event, holdings({ dispute }), `rec_${i}`).dispute;
    written.push(next);
    dispute = next ?? dispute;
  });
  return { dispute, written };
}

describe("the dispute reducer (the SDK's reduceDispute)", () => {
  it("opens a dispute on DisputeOpened, naming the opening party by user id", () => {
    const opened = escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: REASONS });
    expect(run([opened]).dispute).toEqual({
      id: "deal_1.m0",
      dealId: "deal_1",
      milestone: 0,
      openedBy: "usr_demander",
      openedAt: opened.blockTime,
      reasonDigest: REASONS,
      arbitratorId: "usr_arbitrator",
      status: "open",
      recordIds: ["rec_0"],
      updatedAt: opened.blockTime,
    });
  });

  it("follows a settlement: proposed by one party, accepted by the other, then the bank's payment", () => {
    const events = [
      escrowEvent("DisputeOpened", { by: SUPPLIER, reasonDigest: REASONS }),
      escrowEvent("SettlementProposed", { by: DEMANDER, release: "100000", refund: "200000" }),
      escrowEvent("SettlementAccepted", { by: SUPPLIER, release: "100000", refund: "200000" }),
      escrowEvent("InstructionIssued", { kind: "9", release: "100000", refund: "200000" }),
      escrowEvent("MilestoneSplit", { released: "100000", refunded: "200000", bankRef: `0x${"00".repeat(32)}` }),
    ];
    const { dispute } = run(events);
    expect(dispute).toMatchObject({
      status: "settled",
      openedBy: "usr_supplier",
      proposal: { by: "usr_demander", release: 100_000, refund: 200_000, at: events[1].blockTime },
      settlement: { release: 100_000, refund: 200_000, at: events[2].blockTime },
      recordIds: ["rec_0", "rec_1", "rec_2", "rec_3", "rec_4"],
      updatedAt: events[4].blockTime,
    });
  });

  it("follows arbitration: escalated, ruled with an appeal window, appealed, ruled again, final", () => {
    const events = [
      escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: REASONS }),
      escrowEvent("DisputeEscalated", { by: DEMANDER, rulingDeadline: "5000" }),
      escrowEvent("RulingIssued", { release: "0", refund: "300000", rulingDigest: RULING, appealEnds: "6000" }),
    ];
    const ruled = run(events).dispute!;
    expect(ruled).toMatchObject({
      status: "ruled",
      rulingDeadline: "escrow time 5000",
      ruling: { release: 0, refund: 300_000, digest: RULING, at: events[2].blockTime, appealEnds: 6000, final: false },
    });
    const appealed = escrowEvent("RulingAppealed", { by: SUPPLIER, groundsDigest: GROUNDS, rulingDeadline: "9000" });
    const again = escrowEvent("RulingIssued", {
      release: "0",
      refund: "300000",
      rulingDigest: RULING,
      appealEnds: "0",
    });
    const { dispute } = run([appealed, again], ruled);
    expect(dispute).toMatchObject({
      status: "final",
      appeal: { by: "usr_supplier", groundsDigest: GROUNDS, at: appealed.blockTime },
      rulingDeadline: "escrow time 9000",
      ruling: { final: true },
    });
    expect(dispute!.ruling).not.toHaveProperty("appealEnds");
  });

  it("makes a ruling final on RulingFinalized and closes the dispute on MilestoneCancelled", () => {
    const events = [
      escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: REASONS }),
      escrowEvent("DisputeEscalated", { by: DEMANDER, rulingDeadline: "5000" }),
      escrowEvent("RulingIssued", { release: "1", refund: "299999", rulingDigest: RULING, appealEnds: "6000" }),
      escrowEvent("RulingFinalized"),
    ];
    expect(run(events).dispute).toMatchObject({ status: "final", ruling: { final: true } });
    const cancelled = run([events[0], escrowEvent("MilestoneCancelled", { refundDue: true })]).dispute;
    expect(cancelled!.status).toBe("cancelled");
  });

  it("writes nothing for an event that is not the dispute's, nor for any event before a dispute was opened", () => {
    const { written } = run([
      escrowEvent("DeliverySubmitted", { deliveryDigest: REASONS }),
      escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: REASONS }),
      escrowEvent("DeliveryAccepted"),
    ]);
    expect(written.map((d) => d?.status)).toEqual([undefined, "open", undefined]);
  });

  it("keeps the dispute exactly as the SDK's summarizeDispute derives it from the same records", () => {
    const events = [
      escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: REASONS }),
      escrowEvent("SettlementProposed", { by: DEMANDER, release: "100000", refund: "200000" }),
      escrowEvent("DisputeEscalated", { by: SUPPLIER, rulingDeadline: "5000" }),
      escrowEvent("RulingIssued", { release: "7", refund: "299993", rulingDigest: RULING, appealEnds: "6000" }),
      escrowEvent("RulingAppealed", { by: SUPPLIER, groundsDigest: GROUNDS, rulingDeadline: "9000" }),
    ];
    const { dispute } = run(events);
    const records = events.map((event, i) => ({
      header: { id: `rec_${i}`, kind: "escrow.event" },
      data: escrowEventRecord(event, agreement, 0).data,
    }));
    expect(summaryOf(dispute!, agreement)).toEqual(summarizeDispute(records, 0));
    expect(disputeOf(summaryOf(dispute!, agreement), agreement, dispute!.updatedAt)).toEqual(dispute);
  });

  it("records the arbitration body's replacement of the arbitrator: a new ruling deadline, the status kept", () => {
    const NEXT = `0x${"0a".repeat(20)}`;
    const BODY = `0x${"0b".repeat(20)}`;
    const PREVIOUS = `0x${"0c".repeat(20)}`;
    const events = [
      escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: REASONS }),
      escrowEvent("DisputeEscalated", { by: SUPPLIER, rulingDeadline: "5000" }),
      escrowEvent("ArbitratorReplaced", { previous: PREVIOUS, next: NEXT, by: BODY, rulingDeadline: "12000" }),
    ];
    const { dispute, written } = run(events);
    expect(written[2]).toBeDefined();
    expect(dispute).toMatchObject({
      status: "arbitration",
      rulingDeadline: "escrow time 12000",
      arbitratorReplacements: [
        { previous: PREVIOUS, next: NEXT, by: BODY, rulingDeadline: 12000, at: events[2].blockTime },
      ],
      recordIds: ["rec_0", "rec_1", "rec_2"],
    });
    const records = events.map((event, i) => ({
      header: { id: `rec_${i}`, kind: "escrow.event" },
      data: escrowEventRecord(event, agreement, 0).data,
    }));
    expect(summaryOf(dispute!, agreement)).toEqual(summarizeDispute(records, 0));
    expect(disputeOf(summaryOf(dispute!, agreement), agreement, dispute!.updatedAt)).toEqual(dispute);
  });
});
