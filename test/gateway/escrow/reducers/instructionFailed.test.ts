import { describe, expect, it } from "vitest";
import { instructionFailed } from "../../../../gateway/escrow/reducers/instructionFailed";
import { escrowEvent, holdings, instruction } from "../../../helpers/escrowEvents";

describe("instructionFailed", () => {
  const event = escrowEvent("InstructionFailed", { reason: "AC04", failures: "1" });

  it("marks the current instruction failed with the bank's reason code, and tells the bank", () => {
    const current = instruction({ bankStatus: "rejected", version: 2 });
    const changes = instructionFailed(event, holdings({ instruction: current }), "rec_event");
    const failed = { ...current, chainStatus: "failed", reason: "AC04" };
    expect(changes.instructions).toEqual([{ ...failed, version: 3, updatedAt: event.blockTime }]);
    expect(changes.webhooks).toEqual([
      { type: "instruction.updated", payload: { instruction: { ...failed, version: 3 } } },
    ]);
    expect(changes.fundEvent).toMatchObject({ event: "InstructionFailed", reason: "AC04", recordId: "rec_event" });
  });

  it("only writes the reconciliation's row when the gateway knows no instruction of the milestone", () => {
    const changes = instructionFailed(event, holdings(), "rec_event");
    expect(Object.keys(changes)).toEqual(["fundEvent"]);
  });
});
