import { describe, expect, it } from "vitest";
import { milestonePaid } from "../../../../gateway/escrow/reducers/milestonePaid";
import { bytes32Text, escrowEvent, holdings, instruction } from "../../../helpers/escrowEvents";

describe("milestonePaid", () => {
  it("counts a release to the supplier and confirms the instruction with the bank's reference", () => {
    const event = escrowEvent("MilestoneReleased", { amount: "300000", bankRef: bytes32Text("PAY-1") });
    const current = instruction({ bankStatus: "settled", bankRef: "PAY-1", version: 3 });
    const changes = milestonePaid(event, holdings({ instruction: current }), "rec_event");
    expect(changes.fundEvent).toMatchObject({ released: 300_000, refunded: 0, bankRef: "PAY-1" });
    const confirmed = { ...current, chainStatus: "confirmed", chainRef: "PAY-1", chainTx: event.transactionHash };
    expect(changes.instructions).toEqual([{ ...confirmed, version: 4, updatedAt: event.blockTime }]);
    expect(changes.webhooks).toEqual([
      { type: "instruction.updated", payload: { instruction: { ...confirmed, version: 4 } } },
    ]);
  });

  it("counts a refund to the demander", () => {
    const event = escrowEvent("MilestoneRefunded", { amount: "300000", bankRef: bytes32Text("RET-1") });
    expect(milestonePaid(event, holdings(), "r").fundEvent).toMatchObject({ released: 0, refunded: 300_000 });
  });

  it("counts both sides of a split", () => {
    const event = escrowEvent("MilestoneSplit", { released: "100000", refunded: "200000", bankRef: bytes32Text("S") });
    expect(milestonePaid(event, holdings(), "r").fundEvent).toMatchObject({
      event: "MilestoneSplit",
      released: 100_000,
      refunded: 200_000,
      bankRef: "S",
    });
  });
});
