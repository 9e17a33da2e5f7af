import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEAL_MOVE_NAMES,
  DEAL_MOVES,
  DEAL_STATES,
  mayMake,
  movesFrom,
  nextState,
  type DealMoveRule,
  type DealState,
} from "../../../gateway/deal/states";

const rule = (move: keyof typeof DEAL_MOVES): DealMoveRule => DEAL_MOVES[move];

describe("the deal's state machine (one table)", () => {
  it("answers every state × move exactly as the table says: the rule's target from its states, nothing elsewhere", () => {
    let legal = 0;
    for (const state of DEAL_STATES) {
      for (const move of DEAL_MOVE_NAMES) {
        const expected = rule(move).from.includes(state) ? rule(move).to : undefined;
        expect(nextState(state, move), `${state} × ${move}`).toBe(expected);
        if (expected) legal++;
      }
    }
    expect(legal).toBeGreaterThan(20);
  });

  it("names only known states and at least one actor in every rule", () => {
    for (const move of DEAL_MOVE_NAMES) {
      for (const state of [...rule(move).from, rule(move).to]) expect(DEAL_STATES).toContain(state);
      expect(rule(move).by.length, move).toBeGreaterThan(0);
    }
  });

  it("reaches every state from opened", () => {
    const seen = new Set<DealState>(["opened"]);
    const queue: DealState[] = ["opened"];
    while (queue.length) {
      const state = queue.shift()!;
      for (const move of movesFrom(state)) {
        const to = nextState(state, move)!;
        if (seen.has(to)) continue;
        seen.add(to);
        queue.push(to);
      }
    }
    expect([...seen].sort()).toEqual([...DEAL_STATES].sort());
  });

  it("leaves archived by no move, and cancels only before the contract is signed", () => {
    expect(movesFrom("archived")).toEqual([]);
    for (const state of ["signed", "performing", "delivered", "following_up", "closed", "disputed"] as const) {
      expect(nextState(state, "cancel"), state).toBeUndefined();
    }
  });

  it("lets only the escrow sign or dispute a deal, and a party never close or archive one", () => {
    expect(rule("sign").by).toEqual(["escrow"]);
    expect(rule("dispute").by).toEqual(["escrow"]);
    expect(mayMake(["supplier", "demander"], "close")).toBe(false);
    expect(mayMake(["supplier", "demander"], "archive")).toBe(false);
    expect(mayMake(["broker"], "begin_negotiation")).toBe(true);
    expect(mayMake(["evaluator" as never], "begin_negotiation")).toBe(false);
  });

  it("never signs twice on any path: once past signing, no move leads back before it", () => {
    const beforeSigning = new Set<DealState>(["opened", "negotiating", "investigating", "contracting", "cancelled"]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DEAL_MOVE_NAMES), { maxLength: 40 }), (moves) => {
        let state: DealState = "opened";
        let signed = false;
        for (const move of moves) {
          const to = nextState(state, move);
          if (!to) continue;
          if (move === "sign") {
            expect(signed).toBe(false);
            signed = true;
          }
          if (signed) expect(beforeSigning.has(to)).toBe(false);
          state = to;
        }
      }),
    );
  });

  it("is the table docs/DEAL.md shows, row for row", () => {
    const doc = readFileSync(path.join(__dirname, "../../../docs/DEAL.md"), "utf8");
    const table = doc.slice(doc.indexOf("<!-- deal-moves:begin -->"), doc.indexOf("<!-- deal-moves:end -->"));
    const rows = table.split("\n").filter((line) => line.startsWith("| `"));
    const code = (cell: string) => [...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    const documented = rows.map((row) => {
      const [move, from, to, by] = row.split("|").slice(1, 5);
      return { move: code(move)[0], from: code(from), to: code(to)[0], by: by.split(",").map((a) => a.trim()) };
    });
    expect(documented).toEqual(
      DEAL_MOVE_NAMES.map((move) => ({ move, from: [...rule(move).from], to: rule(move).to, by: [...rule(move).by] })),
    );
  });
});
