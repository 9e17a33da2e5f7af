import { describe, expect, it } from "vitest";
import { depositLocked } from "../../../../gateway/escrow/reducers/depositLocked";
import type { DepositReport } from "../../../../gateway/escrow/types";
import { bytes32Text, escrowEvent, holdings } from "../../../helpers/escrowEvents";

const report: DepositReport = {
  id: "dep_1",
  dealId: "deal_1",
  milestone: 0,
  currency: "CNY",
  amount: 300_500,
  bankRef: "REF-1",
  reportedAt: "2026-11-01T10:00:00.000Z",
  recordId: "rec_report",
  status: "reported",
};

describe("depositLocked", () => {
  const event = escrowEvent("DepositLocked", { amount: "300000", excess: "500", bankRef: bytes32Text("REF-1") });

  it("counts the locked amount and the excess in the reconciliation's row, with the bank's reference as text", () => {
    const { fundEvent } = depositLocked(event, holdings({ deposit: report }), "rec_event");
    expect(fundEvent).toMatchObject({
      event: "DepositLocked",
      dealId: "deal_1",
      milestone: 0,
      currency: "CNY",
      locked: 300_000,
      excess: 500,
      released: 0,
      refunded: 0,
      bankRef: "REF-1",
      transactionHash: event.transactionHash,
      blockNumber: event.blockNumber,
      logIndex: event.logIndex,
      blockTime: event.blockTime,
      recordId: "rec_event",
    });
  });

  it("marks the bank's deposit report locked, with the lock's transaction and amounts", () => {
    const { deposit } = depositLocked(event, holdings({ deposit: report }), "rec_event");
    expect(deposit).toEqual({
      ...report,
      status: "locked",
      lock: { transactionHash: event.transactionHash, blockNumber: event.blockNumber, amount: 300_000, excess: 500 },
    });
  });

  it("tells the bank by a deposit.locked webhook, and changes no report when the bank made none", () => {
    const changes = depositLocked(event, holdings(), "rec_event");
    expect(changes.deposit).toBeUndefined();
    expect(changes.webhooks).toEqual([
      {
        type: "deposit.locked",
        payload: {
          dealId: "deal_1",
          milestone: 0,
          currency: "CNY",
          bankRef: "REF-1",
          transactionHash: event.transactionHash,
          blockNumber: event.blockNumber,
          amount: 300_000,
          excess: 500,
        },
      },
    ]);
  });
});
