import hre from "hardhat";
import type { TypedDataDomain } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  ESCROW_BODY_ACTIONS,
  ESCROW_TERMS_TYPES,
  arbitratorReplacementData,
  ESCROW_TRIGGERS,
  type EscrowActionName,
  type EscrowActor,
  type EscrowArgumentName,
} from "../../../sdk";
import type { DealEscrow } from "../../../sdk/typechain/contracts/DealEscrow";
import { escrowFixture } from "../../helpers/contracts";

const { ethers } = hre;
type Signer = Awaited<ReturnType<typeof ethers.getSigner>>;

/** The escrow's refusals that mean "not this actor", as opposed to "not now" or "not these amounts". */
const ACTOR_REFUSALS = ["DealEscrowUnauthorized", "DealEscrowNotParty", "AccessControlUnauthorizedAccount"];
const STATEMENT = ethers.id("a statement");

// The table against the contract itself: every move signed by every actor, relayed by the operator
// on a pending milestone. The escrow checks who moves before it checks the state, so an actor the
// table allows meets a state refusal, any other an actor refusal. A wrong argument order or action
// number would make the signature recover to someone else, or fail to encode, and fail here too.
describe("the SDK's escrow action table, against the DealEscrow contract", () => {
  let escrow: DealEscrow;
  let operator: Signer;
  let stranger: Signer;
  let body: Signer;
  let actors: Record<EscrowActor, Signer>;
  let dealId: string;
  let domain: TypedDataDomain;

  beforeAll(async () => {
    const fixture = await escrowFixture();
    const { operator: op, supplier, demander, arbitrator, stranger: other, arbitrationBody } = fixture.signers;
    operator = op;
    body = arbitrationBody;
    stranger = other;
    actors = { supplier, demander, arbitrator };
    ({ escrow, domain } = fixture);
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    const terms = {
      dealId: ethers.id("deal:action-table"),
      supplier: supplier.address,
      demander: demander.address,
      arbitrator: arbitrator.address,
      contractDigest: ethers.id("contract"),
      currency: ethers.hexlify(ethers.toUtf8Bytes("CNY")),
      amounts: [100_000n],
      deadlines: [now + 30 * 86_400],
      inspectionPeriod: 86_400,
      gracePeriod: 86_400,
      maxChangeRounds: 2,
      rulingPeriod: 86_400,
      appealWindow: 3_600,
    };
    dealId = terms.dealId;
    const signTerms = (signer: Signer) => signer.signTypedData(domain, ESCROW_TERMS_TYPES, terms);
    await (
      await escrow.connect(operator).createDeal(terms, await signTerms(supplier), await signTerms(demander))
    ).wait();
  });

  /** The values of a move's arguments, as a party signs them for `name`. */
  function valuesOf(name: EscrowActionName) {
    const { takes } = ESCROW_ACTIONS[name];
    const data = takes === "statement" || takes === "statement and split" ? STATEMENT : ethers.ZeroHash;
    const [release, refund] = takes === "split" || takes === "statement and split" ? [40_000, 60_000] : [0, 0];
    return { data, release, refund };
  }

  function sign(signer: Signer, name: EscrowActionName) {
    return signer.signTypedData(domain, ESCROW_ACTION_TYPES, {
      dealId,
      milestone: 0,
      action: ESCROW_ACTIONS[name].action,
      ...valuesOf(name),
      nonce: 0,
    });
  }

  /** The name of the custom error the escrow refuses the call with (the milestone is pending: all are refused). */
  async function refusalOf(
    name: EscrowActionName | keyof typeof ESCROW_TRIGGERS,
    sender: Signer,
    values: Partial<Record<EscrowArgumentName, string | number>>,
  ): Promise<string> {
    const spec = name in ESCROW_ACTIONS ? ESCROW_ACTIONS[name as EscrowActionName] : ESCROW_TRIGGERS[name as "release"];
    const args = spec.args.map((argument) => values[argument]);
    const error = await escrow
      .connect(sender)
      .getFunction(spec.function)
      .staticCall(...args)
      .then(
        () => expect.fail(`${name} went through on a pending milestone`),
        (e) => e,
      );
    const parsed = escrow.interface.parseError(error.data);
    expect(parsed, `${name}: ${error.message}`).not.toBeNull();
    return parsed!.name;
  }

  for (const name of Object.keys(ESCROW_ACTIONS) as EscrowActionName[]) {
    if (name === "cancel") continue;
    it(`lets only the ${ESCROW_ACTIONS[name].by.join(" and the ")} ${name}`, async () => {
      for (const actor of ["supplier", "demander", "arbitrator"] as const) {
        const refusal = await refusalOf(name, operator, {
          dealId,
          milestone: 0,
          ...valuesOf(name),
          signature: await sign(actors[actor], name),
        });
        const allowed = (ESCROW_ACTIONS[name].by as readonly EscrowActor[]).includes(actor);
        expect([actor, ACTOR_REFUSALS.includes(refusal)], refusal).toEqual([actor, !allowed]);
      }
    });
  }

  it("cancels only with the supplier's and the demander's signatures, each in its own argument", async () => {
    expect(ESCROW_ACTIONS.cancel.by).toEqual(["supplier", "demander"]);
    const signatures = {
      supplier: await sign(actors.supplier, "cancel"),
      demander: await sign(actors.demander, "cancel"),
      arbitrator: await sign(actors.arbitrator, "cancel"),
    };
    const cancel = (supplierSignature: string, demanderSignature: string) =>
      escrow
        .connect(operator)
        .getFunction(ESCROW_ACTIONS.cancel.function as string)
        .staticCall(
          ...ESCROW_ACTIONS.cancel.args.map(
            (argument) => ({ dealId, milestone: 0, supplierSignature, demanderSignature })[argument],
          ),
        );
    await expect(cancel(signatures.supplier, signatures.demander)).resolves.toBeDefined();
    for (const [s, d] of [
      [signatures.arbitrator, signatures.demander],
      [signatures.supplier, signatures.arbitrator],
      [signatures.demander, signatures.supplier],
    ]) {
      const error = await cancel(s, d).catch((e) => e);
      expect(escrow.interface.parseError(error.data)?.name).toBe("DealEscrowUnauthorized");
    }
  });

  it("lets only the arbitration body replace the arbitrator, signing the new one's address as data", async () => {
    const spec = ESCROW_BODY_ACTIONS["replace-arbitrator"];
    const next = stranger.address;
    const data = arbitratorReplacementData(next);
    expect(data).toBe(ethers.zeroPadValue(next, 32).toLowerCase());
    const refusal = async (signer: Signer) => {
      const signature = await signer.signTypedData(domain, ESCROW_ACTION_TYPES, {
        dealId,
        milestone: 0,
        action: spec.action,
        data,
        release: 0,
        refund: 0,
        nonce: 0,
      });
      const values: Record<string, string | number> = { dealId, milestone: 0, arbitrator: next, signature };
      const error = await escrow
        .connect(operator)
        .getFunction(spec.function as string)
        .staticCall(...spec.args.map((argument) => values[argument]))
        .catch((e) => e);
      return escrow.interface.parseError(error.data)?.name;
    };
    // The body gets past the role check to the state check; no one else does.
    expect(await refusal(body)).toBe("DealEscrowInvalidState");
    for (const actor of ["supplier", "demander", "arbitrator"] as const) {
      expect(await refusal(actors[actor])).toBe("AccessControlUnauthorizedAccount");
    }
  });

  it("lets anyone trigger a release or a final ruling, and only the operator a reissue", async () => {
    const values = { dealId, milestone: 0 };
    expect(ESCROW_TRIGGERS.release.by).toBe("anyone");
    expect(await refusalOf("release", stranger, values)).toBe("DealEscrowInvalidState");
    expect(ESCROW_TRIGGERS.finalize.by).toBe("anyone");
    expect(await refusalOf("finalize", stranger, values)).toBe("DealEscrowInvalidState");
    expect(ESCROW_TRIGGERS.reissue.by).toBe("operator");
    expect(await refusalOf("reissue", stranger, values)).toBe("AccessControlUnauthorizedAccount");
    expect(ACTOR_REFUSALS).not.toContain(await refusalOf("reissue", operator, values));
  });
});
