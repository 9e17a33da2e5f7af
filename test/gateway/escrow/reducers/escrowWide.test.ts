import { describe, expect, it } from "vitest";
import { reduceEscrowWideEvent } from "../../../../gateway/escrow/reducers";
import { escrowEvent } from "../../../helpers/escrowEvents";

const ESCROW = "0xAbCdEf0000000000000000000000000000000001";

describe("reduceEscrowWideEvent", () => {
  it("records an escrow-wide event on the escrow's own subject, as a copy of its log", () => {
    const event = escrowEvent("RoleGranted", { role: `0x${"00".repeat(32)}`, account: ESCROW, sender: ESCROW });
    expect(reduceEscrowWideEvent(event, ESCROW)).toEqual({
      record: {
        kind: "escrow.event",
        subject: "escrow:0xabcdef0000000000000000000000000000000001",
        data: {
          event: "RoleGranted",
          args: event.args,
          transactionHash: event.transactionHash,
          blockNumber: event.blockNumber,
          logIndex: event.logIndex,
          blockTime: event.blockTime,
        },
      },
    });
  });

  it("starts the pause at the Paused event's block time and ends it at Unpaused", () => {
    const paused = escrowEvent("Paused", { account: ESCROW });
    expect(reduceEscrowWideEvent(paused, ESCROW).pause).toEqual({
      since: paused.blockTime,
      transactionHash: paused.transactionHash,
    });
    expect(reduceEscrowWideEvent(escrowEvent("Unpaused", { account: ESCROW }), ESCROW).pause).toBeNull();
    expect(reduceEscrowWideEvent(escrowEvent("DeadlinesExtended"), ESCROW).pause).toBeUndefined();
  });
});
