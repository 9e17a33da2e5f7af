import hre from "hardhat";
import { ESCROW_ACTION_TYPES as ACTION_TYPES, ESCROW_TERMS_TYPES as TERMS_TYPES } from "../../sdk/escrow/typedData";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ContractTransactionResponse, TypedDataDomain } from "ethers";
import type { DealEscrow } from "../../sdk/typechain/contracts/DealEscrow";
import { Action as EscrowAction, escrowFixture, mined, revertName as revertNameOf, State } from "../helpers/contracts";

const { ethers } = hre;

// Random sequences of moves, by random actors (often the wrong one), with time passing and
// pauses, against the real contract and a small model of it. After every step: the contract
// agrees with the model, released + refunded never exceeds what was locked, a finished
// milestone is exactly as it was, and a move by the wrong actor reverted.
//
// Time: the model keeps the escrow clock on a grid of whole hours; each transaction lands a few
// seconds after its grid point. Every period and deadline ends a quarter or half hour off the
// grid, so the model and the chain always agree on which side of a deadline a move falls.

/**
 * Sequences per run of the suite: 200 take about a minute on one core, in parallel with the other
 * files; ESCROW_PROPERTY_RUNS=2000 (say) searches deeper before a release.
 */
const RUNS = Number(process.env.ESCROW_PROPERTY_RUNS ?? 200);

const HOUR = 3_600;
const OFF_GRID = HOUR / 4;
const CNY = ethers.hexlify(ethers.toUtf8Bytes("CNY"));
const AMOUNTS = [1_000n, 2_500n];

/** The moves' `action` numbers, by the names this test gives the moves. */
const Action = {
  deliver: EscrowAction.Deliver,
  accept: EscrowAction.AcceptDelivery,
  requestChanges: EscrowAction.RequestChanges,
  openDispute: EscrowAction.OpenDispute,
  claimRefund: EscrowAction.ClaimRefund,
  cancel: EscrowAction.Cancel,
  propose: EscrowAction.ProposeSettlement,
  acceptSettlement: EscrowAction.AcceptSettlement,
  escalate: EscrowAction.Escalate,
  rule: EscrowAction.Rule,
  appeal: EscrowAction.Appeal,
  replace: EscrowAction.ReplaceArbitrator,
} as const;

/** `successor` is who the arbitration body appoints when it replaces the deal's arbitrator. */
const ACTORS = [
  "supplier",
  "demander",
  "arbitrator",
  "bank",
  "operator",
  "stranger",
  "arbitrationBody",
  "successor",
] as const;
type Actor = (typeof ACTORS)[number];

const MOVES = [
  "lock",
  "deliver",
  "accept",
  "requestChanges",
  "openDispute",
  "release",
  "claimRefund",
  "cancel",
  "propose",
  "acceptSettlement",
  "escalate",
  "rule",
  "appeal",
  "finalize",
  "replace",
  "confirm",
  "fail",
  "reissue",
] as const;
type Move = (typeof MOVES)[number];

/**
 * Moves that fit a state, weighted towards the ones that lead on, so that runs get deep into the
 * state machine; one step in five tries any move at all.
 */
const PLAUSIBLE: Record<number, Move[]> = {
  [State.Pending]: ["lock"],
  [State.Locked]: ["deliver", "deliver", "openDispute", "claimRefund"],
  [State.Delivered]: ["accept", "requestChanges", "openDispute", "openDispute", "release"],
  [State.Disputed]: ["propose", "acceptSettlement", "escalate", "escalate", "cancel"],
  [State.Arbitration]: ["rule", "rule", "rule", "propose", "acceptSettlement", "escalate", "replace"],
  [State.Ruled]: ["appeal", "finalize", "finalize", "cancel"],
  [State.Releasing]: ["confirm", "confirm", "fail", "reissue"],
  [State.Refunding]: ["confirm", "confirm", "fail", "reissue"],
  [State.Splitting]: ["confirm", "confirm", "fail", "reissue"],
};

/** The one actor who may make the move; "party" for either party; "anyone" for the lapse triggers. */
const ACTOR_OF: Record<Move, Actor | "party" | "anyone"> = {
  lock: "bank",
  deliver: "supplier",
  accept: "demander",
  requestChanges: "demander",
  openDispute: "party",
  release: "anyone",
  claimRefund: "demander",
  cancel: "supplier", // the supplier's half; the demander always signs its half
  propose: "party",
  acceptSettlement: "party",
  escalate: "party",
  rule: "arbitrator", // the deal's current arbitrator: `successor` once replaced
  appeal: "party",
  finalize: "anyone",
  replace: "arbitrationBody",
  confirm: "bank",
  fail: "bank",
  reissue: "operator",
};

type Relay = "direct" | "operator" | "stranger";

type Step =
  | { kind: "time"; hours: number }
  | { kind: "pause"; byStranger: boolean }
  | { kind: "replay" }
  | {
      kind: "move";
      milestone: number;
      plausible: boolean;
      pick: number;
      actor: Actor | "right";
      party: "supplier" | "demander";
      relay: Relay;
      percent: number;
      twist: boolean;
    };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("time" as const), hours: fc.constantFrom(1, 6, 24, 72) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const), byStranger: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const) }) },
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant("move" as const),
      milestone: fc.constantFrom(0, 0, 0, 1),
      plausible: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      pick: fc.nat(1_000),
      actor: fc.oneof(
        { weight: 4, arbitrary: fc.constant("right" as const) },
        { weight: 2, arbitrary: fc.constantFrom(...ACTORS) },
      ),
      party: fc.constantFrom("supplier" as const, "demander" as const),
      relay: fc.constantFrom<Relay>("direct", "direct", "operator", "operator", "stranger"),
      percent: fc.integer({ min: 0, max: 100 }),
      twist: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
);

const termsArbitrary = fc.record({
  maxChangeRounds: fc.constantFrom(0, 1, 2),
  gracePeriod: fc.constantFrom(OFF_GRID, 12 * HOUR + OFF_GRID),
  appealWindow: fc.constantFrom(0, 12 * HOUR + OFF_GRID),
});

/** The model of one milestone. Times are escrow-clock seconds. */
type Model = {
  state: number;
  amount: bigint;
  deadline: bigint;
  timer: bigint;
  rounds: number;
  nonce: bigint;
  proposer: 0 | 1 | 2; // 1 supplier, 2 demander
  release: bigint;
  appealed: boolean;
  failed: boolean;
  failures: number;
};

type Outcome = { error: string } | { apply: () => void };

const INSTRUCTED = [State.Releasing, State.Refunding, State.Splitting] as number[];
const FINAL = [State.Released, State.Refunded, State.Split, State.Cancelled] as number[];

describe("DealEscrow properties", () => {
  let escrow: DealEscrow;
  let domain: TypedDataDomain;
  let signers: Record<Actor | "admin", Awaited<ReturnType<typeof ethers.getSigner>>>;

  function revertName(call: Promise<unknown>): Promise<string> {
    return revertNameOf(escrow, call);
  }

  beforeAll(async () => {
    const fixture = await escrowFixture();
    ({ escrow, domain } = fixture);
    const { admin, operator, bank, supplier, demander, arbitrator, stranger, arbitrationBody } = fixture.signers;
    const successor = (await ethers.getSigners())[9];
    signers = { admin, operator, bank, supplier, demander, arbitrator, stranger, arbitrationBody, successor };
  });

  it(
    "keeps the invariants and agrees with a model over random sequences of moves",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          termsArbitrary,
          fc.array(stepArbitrary, { minLength: 12, maxLength: 24 }),
          async (params, steps) => {
            const run = await ethers.provider.send("evm_snapshot", []);
            try {
              await runSequence(params, steps);
            } finally {
              await ethers.provider.send("evm_revert", [run]);
            }
          },
        ),
        { numRuns: RUNS },
      );
      // About 0.4 s a sequence on a busy core; the default 60 s would cut the run short.
    },
    RUNS * 2_000,
  );

  async function runSequence(params: TermsParams, steps: Step[]) {
    const { supplier, demander, arbitrator, operator, stranger, admin } = signers;
    await ethers.provider.send("evm_mine", []);
    const t0 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const terms = {
      dealId: ethers.hexlify(ethers.randomBytes(32)),
      supplier: supplier.address,
      demander: demander.address,
      arbitrator: arbitrator.address,
      contractDigest: ethers.id("contract"),
      currency: CNY,
      amounts: AMOUNTS,
      deadlines: [t0 + BigInt(48 * HOUR + OFF_GRID), t0 + BigInt(96 * HOUR + OFF_GRID)],
      inspectionPeriod: 24 * HOUR + OFF_GRID,
      gracePeriod: params.gracePeriod,
      maxChangeRounds: params.maxChangeRounds,
      rulingPeriod: 24 * HOUR + OFF_GRID,
      appealWindow: params.appealWindow,
    };
    await mined(
      escrow
        .connect(operator)
        .createDeal(
          terms,
          await supplier.signTypedData(domain, TERMS_TYPES, terms),
          await demander.signTypedData(domain, TERMS_TYPES, terms),
        ),
    );
    const id = terms.dealId;
    const grace = BigInt(terms.gracePeriod);
    const models: Model[] = AMOUNTS.map((amount, i) => ({
      state: State.Pending,
      amount,
      deadline: terms.deadlines[i],
      timer: 0n,
      rounds: 0,
      nonce: 0n,
      proposer: 0,
      release: 0n,
      appealed: false,
      failed: false,
      failures: 0,
    }));
    let now = t0; // the escrow clock, on the grid (no pause has happened in this run's snapshot)
    let paused = false;
    let lastRelayed: { call: () => Promise<unknown>; error: string } | undefined;
    // The deal's arbitrator, and those the arbitration body replaced (deal-wide, not per milestone).
    let arbitratorNow: Actor = "arbitrator";
    const replaced = new Set<Actor>();

    const partyFlag = (actor: Actor): 0 | 1 | 2 => (actor === "supplier" ? 1 : actor === "demander" ? 2 : 0);
    const instructionOf = (m: Model): [bigint, bigint] =>
      m.state === State.Releasing
        ? [m.amount, 0n]
        : m.state === State.Refunding
          ? [0n, m.amount]
          : [m.release, m.amount - m.release];

    for (const step of steps) {
      const before = await Promise.all(AMOUNTS.map((_, i) => escrow.milestoneOf(id, i)));

      if (step.kind === "time") {
        await ethers.provider.send("evm_increaseTime", [step.hours * HOUR]);
        await ethers.provider.send("evm_mine", []);
        if (!paused) now += BigInt(step.hours * HOUR);
      } else if (step.kind === "pause") {
        const caller = step.byStranger ? stranger : admin;
        const call = () => (paused ? escrow.connect(caller).unpause() : escrow.connect(caller).pause());
        if (step.byStranger) {
          expect(await revertName(call())).toBe("AccessControlUnauthorizedAccount");
        } else {
          await mined(call());
          paused = !paused;
        }
      } else if (step.kind === "replay") {
        if (lastRelayed)
          expect(await revertName(lastRelayed.call())).toBe(paused ? "EnforcedPause" : lastRelayed.error);
      } else {
        const index = step.milestone;
        const m = models[index];
        const candidates: readonly Move[] = step.plausible ? (PLAUSIBLE[m.state] ?? MOVES) : MOVES;
        const move = candidates[step.pick % candidates.length];
        const named = move === "rule" ? arbitratorNow : ACTOR_OF[move];
        // The body appoints the one who is not the arbitrator now; a twist names a party instead.
        const nextArbitrator: Actor = step.twist
          ? step.party
          : arbitratorNow === "arbitrator"
            ? "successor"
            : "arbitrator";
        const right: Actor | undefined =
          named === "anyone"
            ? undefined
            : named !== "party"
              ? named
              : move === "acceptSettlement" && m.proposer !== 0
                ? m.proposer === 1
                  ? "demander"
                  : "supplier"
                : step.party;
        const actor: Actor = step.actor === "right" ? (right ?? "stranger") : step.actor;
        const wrongActor =
          named === "party"
            ? partyFlag(actor) === 0 || (move === "acceptSettlement" && actor !== right)
            : named !== "anyone" && actor !== named;

        // Amounts: an exact split by `percent`, made wrong by `twist`.
        let release = (m.amount * BigInt(step.percent)) / 100n;
        let refund = m.amount - release;
        if (move === "acceptSettlement" && m.proposer !== 0) {
          release = step.twist ? (m.release + 1n) % (m.amount + 1n) : m.release;
          refund = m.amount - release;
        } else if (step.twist) {
          refund += 1n;
        }
        const deposit = step.twist ? m.amount - 1n : m.amount + 5n;
        const [toRelease, toRefund] = instructionOf(m);
        const confirmed = step.twist ? [toRelease + 1n, toRefund] : [toRelease, toRefund];

        // ─── What the model expects ─────────────────────────────────────────
        const error = (name: string): Outcome => ({ error: `DealEscrow${name}` });
        const raw = (name: string): Outcome => ({ error: name });
        const done = (apply: () => void): Outcome => ({
          apply: () => {
            apply();
            m.nonce += 1n;
          },
        });
        const exact = release + refund === m.amount;
        const account = (): Outcome | undefined => {
          if (paused) return raw("EnforcedPause");
          if (step.relay === "stranger") return raw("AccessControlUnauthorizedAccount");
          return undefined;
        };
        const mustBe = (who: Actor): Outcome | undefined =>
          account() ?? (actor !== who ? error("Unauthorized") : undefined);
        const mustBeParty = (): Outcome | undefined =>
          account() ?? (partyFlag(actor) === 0 ? error("NotParty") : undefined);
        const role = (who: Actor): Outcome | undefined =>
          actor !== who ? raw("AccessControlUnauthorizedAccount") : paused ? raw("EnforcedPause") : undefined;
        const inState = (...states: number[]): Outcome | undefined =>
          states.includes(m.state) ? undefined : error("InvalidState");

        const expected = ((): Outcome => {
          switch (move) {
            case "lock":
              return (
                role("bank") ??
                inState(State.Pending) ??
                (deposit < m.amount ? error("DepositTooSmall") : done(() => (m.state = State.Locked)))
              );
            case "deliver":
              return (
                mustBe("supplier") ??
                inState(State.Locked) ??
                (now > m.deadline + grace
                  ? error("TooLate")
                  : done(() => {
                      m.state = State.Delivered;
                      m.timer = now + BigInt(terms.inspectionPeriod);
                    }))
              );
            case "accept":
              return (
                mustBe("demander") ??
                inState(State.Delivered) ??
                done(() => {
                  m.state = State.Releasing;
                  m.timer = 0n;
                })
              );
            case "requestChanges":
              return (
                mustBe("demander") ??
                inState(State.Delivered) ??
                (now > m.timer
                  ? error("TooLate")
                  : m.rounds === terms.maxChangeRounds
                    ? error("ChangeRoundsExhausted")
                    : done(() => {
                        m.state = State.Locked;
                        m.deadline = now > m.deadline ? now : m.deadline;
                        m.timer = 0n;
                        m.rounds += 1;
                      }))
              );
            case "openDispute":
              return (
                mustBeParty() ??
                inState(State.Locked, State.Delivered) ??
                (m.state === State.Delivered && now > m.timer
                  ? error("TooLate")
                  : done(() => {
                      m.state = State.Disputed;
                      m.timer = 0n;
                    }))
              );
            case "release":
              return (
                (paused ? raw("EnforcedPause") : undefined) ??
                inState(State.Delivered) ??
                (now <= m.timer
                  ? error("TooEarly")
                  : done(() => {
                      m.state = State.Releasing;
                      m.timer = 0n;
                    }))
              );
            case "claimRefund":
              return (
                mustBe("demander") ??
                inState(State.Locked) ??
                (now <= m.deadline + grace ? error("TooEarly") : done(() => (m.state = State.Refunding)))
              );
            case "cancel": {
              if (paused) return raw("EnforcedPause");
              // The supplier's half is signed (or sent) by `actor`; the demander's half is always the demander's.
              if (step.relay === "stranger") return raw("AccessControlUnauthorizedAccount");
              if (actor !== "supplier") return error("Unauthorized");
              return (
                inState(State.Pending, State.Locked, State.Delivered, State.Disputed, State.Arbitration, State.Ruled) ??
                done(() => {
                  m.state = m.state === State.Pending ? State.Cancelled : State.Refunding;
                  m.timer = 0n;
                  m.proposer = 0;
                })
              );
            }
            case "propose":
              return (
                mustBeParty() ??
                inState(State.Disputed, State.Arbitration) ??
                (!exact
                  ? error("SplitMismatch")
                  : done(() => {
                      m.release = release;
                      m.proposer = partyFlag(actor);
                    }))
              );
            case "acceptSettlement":
              return (
                mustBeParty() ??
                inState(State.Disputed, State.Arbitration) ??
                (m.proposer === 0
                  ? error("NoProposal")
                  : m.proposer === partyFlag(actor)
                    ? error("Unauthorized")
                    : !exact
                      ? error("SplitMismatch")
                      : release !== m.release
                        ? error("ProposalMismatch")
                        : done(() => {
                            m.state = State.Splitting;
                            m.timer = 0n;
                            m.proposer = 0;
                          }))
              );
            case "escalate":
              return (
                mustBeParty() ??
                inState(State.Disputed, State.Arbitration) ??
                (m.state === State.Arbitration && now <= m.timer
                  ? error("TooEarly")
                  : done(() => {
                      m.state = State.Arbitration;
                      m.timer = now + BigInt(terms.rulingPeriod);
                    }))
              );
            case "rule":
              return (
                account() ??
                (actor !== arbitratorNow
                  ? error(replaced.has(actor) ? "ArbitratorReplaced" : "Unauthorized")
                  : undefined) ??
                inState(State.Arbitration) ??
                (now > m.timer
                  ? error("TooLate")
                  : !exact
                    ? error("SplitMismatch")
                    : done(() => {
                        m.release = release;
                        m.proposer = 0;
                        const final = terms.appealWindow === 0 || m.appealed;
                        m.state = final ? State.Splitting : State.Ruled;
                        m.timer = final ? 0n : now + BigInt(terms.appealWindow);
                      }))
              );
            case "appeal":
              return (
                mustBeParty() ??
                inState(State.Ruled) ??
                (now > m.timer
                  ? error("TooLate")
                  : done(() => {
                      m.state = State.Arbitration;
                      m.timer = now + BigInt(terms.rulingPeriod);
                      m.appealed = true;
                    }))
              );
            case "replace":
              return (
                account() ??
                (actor !== "arbitrationBody" ? raw("AccessControlUnauthorizedAccount") : undefined) ??
                inState(State.Arbitration) ??
                (now <= m.timer
                  ? error("TooEarly")
                  : nextArbitrator === "supplier" || nextArbitrator === "demander" || replaced.has(nextArbitrator)
                    ? error("InvalidArbitrator")
                    : done(() => {
                        replaced.add(arbitratorNow);
                        arbitratorNow = nextArbitrator;
                        m.timer = now + BigInt(terms.rulingPeriod);
                      }))
              );
            case "finalize":
              return (
                (paused ? raw("EnforcedPause") : undefined) ??
                inState(State.Ruled) ??
                (now <= m.timer
                  ? error("TooEarly")
                  : done(() => {
                      m.state = State.Splitting;
                      m.timer = 0n;
                    }))
              );
            case "confirm":
              return (
                role("bank") ??
                inState(...INSTRUCTED) ??
                (m.failed
                  ? error("InstructionFailed")
                  : confirmed[0] !== toRelease || confirmed[1] !== toRefund
                    ? error("InstructionMismatch")
                    : done(() => (m.state += 3)))
              );
            case "fail":
              return (
                role("bank") ??
                inState(...INSTRUCTED) ??
                (m.failed
                  ? error("InstructionFailed")
                  : done(() => {
                      m.failed = true;
                      m.failures += 1;
                    }))
              );
            case "reissue":
              return (
                role("operator") ??
                inState(...INSTRUCTED) ??
                (!m.failed ? error("InstructionNotFailed") : done(() => (m.failed = false)))
              );
          }
        })();

        // ─── The same move against the contract ─────────────────────────────
        const data = ethers.id(`${move}:${index}`);
        const sign = (
          signer: Actor,
          action: number,
          fields: { data?: string; release?: bigint; refund?: bigint } = {},
        ) =>
          signers[signer].signTypedData(domain, ACTION_TYPES, {
            dealId: id,
            milestone: index,
            action,
            data: fields.data ?? ethers.ZeroHash,
            release: fields.release ?? 0n,
            refund: fields.refund ?? 0n,
            nonce: m.nonce,
          });
        // A party's move: sent by the actor, or signed by the actor and relayed.
        const party = async (action: number, fields: { data?: string; release?: bigint; refund?: bigint } = {}) => {
          if (step.relay === "direct") return { as: escrow.connect(signers[actor]), signature: "0x" };
          return {
            as: escrow.connect(step.relay === "operator" ? operator : stranger),
            signature: await sign(actor, action, fields),
          };
        };
        let call: () => Promise<ContractTransactionResponse>;
        switch (move) {
          case "lock":
            call = () => escrow.connect(signers[actor]).lockDeposit(id, index, CNY, deposit, ethers.id("dep"));
            break;
          case "deliver": {
            const { as, signature } = await party(Action.deliver, { data });
            call = () => as.deliver(id, index, data, signature);
            break;
          }
          case "accept": {
            const { as, signature } = await party(Action.accept);
            call = () => as.acceptDelivery(id, index, signature);
            break;
          }
          case "requestChanges": {
            const { as, signature } = await party(Action.requestChanges, { data });
            call = () => as.requestChanges(id, index, data, signature);
            break;
          }
          case "openDispute": {
            const { as, signature } = await party(Action.openDispute, { data });
            call = () => as.openDispute(id, index, data, signature);
            break;
          }
          case "release":
            call = () => escrow.connect(signers[actor]).releaseAfterInspection(id, index);
            break;
          case "claimRefund": {
            const { as, signature } = await party(Action.claimRefund);
            call = () => as.claimRefund(id, index, signature);
            break;
          }
          case "cancel": {
            const demanderHalf = await sign("demander", Action.cancel);
            if (step.relay === "direct") {
              call = () => escrow.connect(signers[actor]).cancelMilestone(id, index, "0x", demanderHalf);
            } else {
              const supplierHalf = await sign(actor, Action.cancel);
              const sender = step.relay === "operator" ? operator : stranger;
              call = () => escrow.connect(sender).cancelMilestone(id, index, supplierHalf, demanderHalf);
            }
            break;
          }
          case "propose": {
            const { as, signature } = await party(Action.propose, { release, refund });
            call = () => as.proposeSettlement(id, index, release, refund, signature);
            break;
          }
          case "acceptSettlement": {
            const { as, signature } = await party(Action.acceptSettlement, { release, refund });
            call = () => as.acceptSettlement(id, index, release, refund, signature);
            break;
          }
          case "escalate": {
            const { as, signature } = await party(Action.escalate);
            call = () => as.escalate(id, index, signature);
            break;
          }
          case "rule": {
            const { as, signature } = await party(Action.rule, { data, release, refund });
            call = () => as.rule(id, index, release, refund, data, signature);
            break;
          }
          case "appeal": {
            const { as, signature } = await party(Action.appeal, { data });
            call = () => as.appeal(id, index, data, signature);
            break;
          }
          case "finalize":
            call = () => escrow.connect(signers[actor]).finalizeRuling(id, index);
            break;
          case "replace": {
            const next = signers[nextArbitrator].address;
            const { as, signature } = await party(Action.replace, { data: ethers.zeroPadValue(next, 32) });
            call = () => as.replaceArbitrator(id, index, next, signature);
            break;
          }
          case "confirm":
            call = () =>
              escrow
                .connect(signers[actor])
                .confirmInstruction(id, index, confirmed[0], confirmed[1], ethers.id("pay"));
            break;
          case "fail":
            call = () => escrow.connect(signers[actor]).reportInstructionFailed(id, index, "0x41433034");
            break;
          case "reissue":
            call = () => escrow.connect(signers[actor]).reissueInstruction(id, index);
            break;
        }

        const label = `${move} on milestone ${index} by ${actor} (${step.relay}) in state ${m.state}`;
        if (wrongActor) expect("error" in expected, `${label}: the model let the wrong actor move`).toBe(true);
        if ("error" in expected) {
          expect(await revertName(call()), label).toBe(expected.error);
        } else {
          await mined(call());
          expected.apply();
          // Timers start at the transaction's clock, a few seconds after the model's grid point.
          const view = await escrow.milestoneOf(id, index);
          for (const [field, value] of [
            ["timer", view.timer],
            ["deadline", view.deadline],
          ] as const) {
            const drift = value - m[field];
            expect(drift >= 0n && drift < BigInt(OFF_GRID), `${label}: ${field} drift ${drift}`).toBe(true);
            m[field] = value;
          }
          const relayed = step.relay === "operator" && named !== "anyone" && !["bank", "operator"].includes(named);
          if (relayed) {
            const eitherParty = named === "party";
            lastRelayed = {
              call,
              error:
                named === "arbitrationBody"
                  ? "AccessControlUnauthorizedAccount"
                  : eitherParty
                    ? "DealEscrowNotParty"
                    : "DealEscrowUnauthorized",
            };
          }
        }
      }

      // ─── Invariants, after every step ──────────────────────────────────────
      const after = await Promise.all(AMOUNTS.map((_, i) => escrow.milestoneOf(id, i)));
      expect(await escrow.paused()).toBe(paused);
      expect((await escrow.dealOf(id)).arbitrator).toBe(signers[arbitratorNow].address);
      for (const [i, view] of after.entries()) {
        const m = models[i];
        expect(view.released + view.refunded).toBeLessThanOrEqual(view.locked);
        expect([0n, m.amount]).toContain(view.locked);
        if (FINAL.includes(Number(before[i].state))) expect([...view]).toEqual([...before[i]]);
        const funded = m.state > State.Pending && m.state !== State.Cancelled;
        const [released, refunded] =
          m.state === State.Released
            ? [m.amount, 0n]
            : m.state === State.Refunded
              ? [0n, m.amount]
              : m.state === State.Split
                ? [m.release, m.amount - m.release]
                : [0n, 0n];
        expect({
          state: Number(view.state),
          locked: view.locked,
          released: view.released,
          refunded: view.refunded,
          rounds: Number(view.changeRounds),
          nonce: view.nonce,
          proposer: view.proposer,
          appealed: view.appealed,
          failed: view.instructionFailed,
          failures: Number(view.failures),
        }).toEqual({
          state: m.state,
          locked: funded ? m.amount : 0n,
          released,
          refunded,
          rounds: m.rounds,
          nonce: m.nonce,
          proposer: [ethers.ZeroAddress, supplier.address, demander.address][m.proposer],
          appealed: m.appealed,
          failed: m.failed,
          failures: m.failures,
        });
      }
    }
  }
});

type TermsParams = { maxChangeRounds: number; gracePeriod: number; appealWindow: number };
