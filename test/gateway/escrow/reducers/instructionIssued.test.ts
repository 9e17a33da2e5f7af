import { describe, expect, it } from "vitest";
import { MILESTONE_STATES } from "../../../../sdk";
import { instructionIssued } from "../../../../gateway/escrow/reducers/instructionIssued";
import { escrowEvent, holdings, instruction } from "../../../helpers/escrowEvents";

const kind = (state: (typeof MILESTONE_STATES)[number]) => String(MILESTONE_STATES.indexOf(state));

describe("instructionIssued", () => {
  it("issues the first attempt of a payment, pending at the bank, as the milestone's current instruction", () => {
    const event = escrowEvent("InstructionIssued", { kind: kind("releasing"), release: "300000", refund: "0" });
    const changes = instructionIssued(event, holdings(), "rec_event");
    const issued = {
      id: "deal_1.m0.release.1",
      dealId: "deal_1",
      milestone: 0,
      attempt: 1,
      kind: "release",
      currency: "CNY",
      release: 300_000,
      refund: 0,
      supplierId: "usr_supplier",
      demanderId: "usr_demander",
      issuedAt: event.blockTime,
      issuedTx: event.transactionHash,
      bankStatus: "pending",
      chainStatus: "issued",
      reports: [],
      version: 1,
      updatedAt: event.blockTime,
    };
    expect(changes.instructions).toEqual([issued]);
    expect(changes.currentInstruction).toBe("deal_1.m0.release.1");
    expect(changes.webhooks).toEqual([{ type: "instruction.issued", payload: { instruction: issued } }]);
    expect(changes.fundEvent).toMatchObject({ event: "InstructionIssued", locked: 0, released: 0, refunded: 0 });
  });

  it("numbers a reissued payment by the escrow's attempt count", () => {
    const event = escrowEvent("InstructionReissued", {
      kind: kind("splitting"),
      release: "100000",
      refund: "200000",
      attempt: "3",
    });
    const changes = instructionIssued(event, holdings({ instruction: instruction({ chainStatus: "failed" }) }), "r");
    expect(changes.instructions!.map((i) => [i.id, i.kind, i.attempt, i.release, i.refund])).toEqual([
      ["deal_1.m0.split.3", "split", 3, 100_000, 200_000],
    ]);
  });

  it("supersedes the freeze a dispute asked for, one version later", () => {
    const freeze = instruction({ id: "deal_1.m0.freeze.1", kind: "freeze", release: 0, bankStatus: "accepted" });
    const event = escrowEvent("InstructionIssued", { kind: kind("refunding"), release: "0", refund: "300000" });
    const [superseded, refund] = instructionIssued(event, holdings({ instruction: freeze }), "r").instructions!;
    expect(superseded).toEqual({ ...freeze, chainStatus: "superseded", version: 2, updatedAt: event.blockTime });
    expect([refund.id, refund.kind]).toEqual(["deal_1.m0.refund.1", "refund"]);
  });
});
