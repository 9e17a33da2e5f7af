import { describe, expect, it } from "vitest";
import { reduceEscrowEvent } from "../../../../gateway/escrow/reducers";
import { DEMANDER, escrowEvent, holdings } from "../../../helpers/escrowEvents";

describe("reduceEscrowEvent", () => {
  it("records the event on the deal's subject, naming the record of the move that caused it", () => {
    const event = escrowEvent("DeliveryAccepted");
    const { record, changes } = reduceEscrowEvent(event, holdings({ moveRecordId: "rec_move" }));
    expect(record).toEqual({
      kind: "escrow.event",
      subject: "deal:deal_1",
      data: {
        event: "DeliveryAccepted",
        dealId: "deal_1",
        milestone: 0,
        args: event.args,
        transactionHash: event.transactionHash,
        blockNumber: event.blockNumber,
        logIndex: event.logIndex,
        blockTime: event.blockTime,
        moveRecordId: "rec_move",
      },
    });
    expect(changes("rec_event")).toEqual({ instructions: [], webhooks: [] });
  });

  it("leaves moveRecordId out of the record of an event the gateway did not send", () => {
    const { record } = reduceEscrowEvent(escrowEvent("DeliveryAccepted"), holdings());
    expect(record.data).not.toHaveProperty("moveRecordId");
  });

  it("joins the bank's changes and the dispute's for one event", () => {
    const event = escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: `0x${"01".repeat(32)}` });
    const changes = reduceEscrowEvent(event, holdings({ lockedOnChain: 300_000 })).changes("rec_event");
    expect(changes.instructions.map((i) => i.kind)).toEqual(["freeze"]);
    expect(changes.dispute).toMatchObject({ id: "deal_1.m0", status: "open", recordIds: ["rec_event"] });
  });
});
