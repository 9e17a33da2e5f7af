import { describe, expect, it } from "vitest";
import { disputeOpened } from "../../../../gateway/escrow/reducers/disputeOpened";
import { DEMANDER, escrowEvent, holdings } from "../../../helpers/escrowEvents";

describe("disputeOpened", () => {
  it("tells the bank to keep the locked money frozen, as the milestone's current instruction", () => {
    const event = escrowEvent("DisputeOpened", { by: DEMANDER, reasonDigest: `0x${"01".repeat(32)}` });
    const changes = disputeOpened(event, holdings({ lockedOnChain: 300_000 }), "rec_event");
    const freeze = changes.instructions![0];
    expect(freeze).toMatchObject({
      id: `deal_1.m0.freeze.${event.blockNumber}`,
      kind: "freeze",
      attempt: 1,
      release: 0,
      refund: 0,
      bankStatus: "pending",
      chainStatus: "issued",
      issuedTx: event.transactionHash,
    });
    expect(changes.currentInstruction).toBe(freeze.id);
    expect(changes.webhooks).toEqual([
      { type: "instruction.issued", payload: { instruction: freeze, lockedAmount: 300_000 } },
    ]);
    expect(changes.fundEvent).toBeUndefined();
  });
});
