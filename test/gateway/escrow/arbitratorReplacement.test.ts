import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  ESCROW_BODY_ACTIONS,
  createGatewayClient,
  statementDigest,
  arbitratorReplacementData,
  summarizeDispute,
  summarizedRecordOf,
  verifyDossier,
} from "../../../sdk";
import { DealEscrow__factory } from "../../../sdk/typechain/factories/contracts/DealEscrow__factory";
import { agreeTerms, certifiedOnChain, move, openDeal, signedBankClient } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract, an arbitrator who never rules\n%%EOF\n");
const DAY = 86_400;
const inDays = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();

describe("the arbitration body replaces an arbitrator who let the ruling period lapse", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let arbitrator: TestUser;
  let successor: TestUser;
  let body: TestUser;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let provider: JsonRpcProvider;
  let amount: number;
  const m = 0;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const escrowView = async () => (await as(demander)("GET", `/v1/deals/${deal.id}/escrow`)).body;
  const path = () => `/v1/deals/${deal.id}/escrow/milestones/${m}/arbitrator`;

  /** The body's signature of `ReplaceArbitrator` naming `next`, at the milestone's nonce (or another). */
  async function signReplacement(signer: TestUser, next: string, nonce?: number) {
    const escrow = (await as(body)("GET", `/v1/deals/${deal.id}/escrow`)).body;
    return signer.wallet.signTypedData(escrow.actionTypes.domain, ESCROW_ACTION_TYPES, {
      dealId: escrow.chainDealId,
      milestone: m,
      action: ESCROW_BODY_ACTIONS["replace-arbitrator"].action,
      data: arbitratorReplacementData(next),
      release: 0,
      refund: 0,
      nonce: nonce ?? escrow.milestones[m].nonce,
    });
  }

  beforeAll(async () => {
    t = await startTestPlatform();
    provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    successor = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    body = await makeUser(t, { type: "institute", roles: ["arbitration_body"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);

    // The institution appoints the key its platform account signs with: the role administers itself.
    const institution = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.arbitrationKey, provider));
    const role = await institution.ARBITRATION_ROLE();
    await (await institution.grantRole(role, body.wallet.address, { gasPrice: 0, type: 0 })).wait();

    const total = deal.price?.amount ?? 7_000_000;
    const currency = deal.price?.currency ?? "CNY";
    amount = total;
    await agreeTerms(t, deal, supplier, demander, {
      contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
      currency,
      total,
      milestones: [{ title: "Whole delivery", amount: total, deliverBy: inDays(2) }],
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: DAY,
      gracePeriodSeconds: DAY,
      maxChangeRounds: 1,
      rulingPeriodSeconds: 7 * DAY,
      appealWindowSeconds: 0,
    });

    // The bank locks the deposit; a party disputes and escalates.
    const credentials = await t.platform.credentials.createSigningKey({ label: "test bank", roles: ["bank"] });
    const report = await signedBankClient(t.url, () => credentials)("POST", "/v1/bank/deposits", {
      dealId: deal.id,
      milestone: m,
      currency,
      amount: total,
      bankRef: "REF-ARBITER-0",
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const [id, milestone, code, deposited, bankRef] = report.body.attest.args as [
      string,
      number,
      string,
      number,
      string,
    ];
    const bank = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
    await (await bank.lockDeposit(id, milestone, code, deposited, bankRef, { gasPrice: 0, type: 0 })).wait();
    await t.platform.escrowEvents.catchUp();
    const opened = await move(t, demander, deal.id, m, "open-dispute", { statement: { text: "Nothing arrived" } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const escalated = await move(t, supplier, deal.id, m, "escalate");
    expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("lets the arbitration body see the dispute and the escrow's nonce it signs for", async () => {
    const disputes = (await as(body)("GET", "/v1/disputes")).body.disputes;
    expect(disputes.map((d: { id: string }) => d.id)).toContain(`${deal.id}.m${m}`);
    const escrow = await as(body)("GET", `/v1/deals/${deal.id}/escrow`);
    expect(escrow.status, JSON.stringify(escrow.body)).toBe(200);
    expect(escrow.body.milestones[m].state).toBe("arbitration");
  });

  it("refuses a replacement before the ruling period lapsed, sending nothing", async () => {
    const next = successor.wallet.address;
    const early = await as(body)("POST", path(), {
      arbitratorId: successor.id,
      signature: await signReplacement(body, next),
    });
    expect([early.status, early.body.error.code]).toEqual([409, "TOO_EARLY"]);
    expect((await escrowView()).terms.arbitratorId).toBe(arbitrator.id);
  });

  it("refuses callers other than the arbitration body, a non-arbitrator, a party, and a wrong signer", async () => {
    const next = successor.wallet.address;
    const signature = await signReplacement(body, next);
    for (const user of [supplier, arbitrator, successor]) {
      const refused = await as(user)("POST", path(), { arbitratorId: successor.id, signature });
      expect([refused.status, refused.body.error.code]).toEqual([403, "FORBIDDEN"]);
    }
    const notArbitrator = await as(body)("POST", path(), { arbitratorId: demander.id, signature });
    expect([notArbitrator.status, notArbitrator.body.error.code]).toEqual([422, "NOT_AN_ARBITRATOR"]);
    const same = await as(body)("POST", path(), { arbitratorId: arbitrator.id, signature });
    expect([same.status, same.body.error.code]).toEqual([422, "ARBITRATOR_NOT_NEUTRAL"]);
    const wrong = await as(body)("POST", path(), {
      arbitratorId: successor.id,
      signature: await signReplacement(successor, next),
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, "WRONG_SIGNER"]);
    expect(wrong.body.error.message).toContain(`data ${arbitratorReplacementData(next)}`);
  });

  it("replaces the arbitrator once the ruling period lapsed: the old one cannot rule, the new one does", async () => {
    await provider.send("evm_increaseTime", [7 * DAY + 60]);
    await provider.send("evm_mine", []);
    const next = successor.wallet.address;
    // Through the SDK's action, as an institution's system would.
    const replaced = {
      body: await createGatewayClient({ baseUrl: t.url, token: body.token }).replaceArbitrator({
        dealId: deal.id,
        milestone: m,
        arbitrator: { id: successor.id, address: next },
        signer: body.wallet,
      }),
    };
    expect(replaced.body.arbitrator).toEqual({
      previousId: arbitrator.id,
      previous: arbitrator.wallet.address,
      nextId: successor.id,
      next,
    });
    expect(replaced.body.milestone.state).toBe("arbitration");
    expect((await escrowView()).terms.arbitratorId).toBe(successor.id);

    const disputeId = `${deal.id}.m${m}`;
    const dispute = await eventually(async () => {
      const view = (await as(successor)("GET", `/v1/disputes/${disputeId}`)).body.dispute;
      return view?.arbitratorReplacements ? view : undefined;
    });
    expect(dispute).toMatchObject({ status: "arbitration", arbitratorId: successor.id });
    expect(dispute.arbitratorReplacements).toEqual([
      expect.objectContaining({ previous: arbitrator.wallet.address, next, by: body.wallet.address }),
    ]);
    expect(dispute.rulingDeadline).toBe(`escrow time ${dispute.arbitratorReplacements[0].rulingDeadline}`);

    // The replaced arbitrator no longer sees the escrow; it signs from what it knew.
    const escrow = await escrowView();
    const statement = { text: "A ruling too late" };
    const late = await as(arbitrator)("POST", `/v1/deals/${deal.id}/milestones/${m}/moves`, {
      action: "rule",
      statement,
      release: 0,
      refund: amount,
      signature: await arbitrator.wallet.signTypedData(escrow.actionTypes.domain, ESCROW_ACTION_TYPES, {
        dealId: escrow.chainDealId,
        milestone: m,
        action: ESCROW_ACTIONS.rule.action,
        data: statementDigest(statement),
        release: 0,
        refund: amount,
        nonce: escrow.milestones[m].nonce,
      }),
    });
    expect([late.status, late.body.error.code]).toEqual([403, "ARBITRATOR_REPLACED"]);

    const again = await as(body)("POST", path(), {
      arbitratorId: arbitrator.id,
      signature: await signReplacement(body, arbitrator.wallet.address),
    });
    expect([again.status, again.body.error.code]).toEqual([422, "ARBITRATOR_REPLACED_BEFORE"]);

    const ruled = await move(t, successor, deal.id, m, "rule", {
      statement: { text: "Ruling by the new arbitrator: refund in full" },
      release: 0,
      refund: amount,
    });
    expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
    expect(ruled.body.milestone.state).toBe("splitting");
  });

  it("shows the replacement in the dossier, derived from the records", async () => {
    const disputeId = `${deal.id}.m${m}`;
    const dossier = await eventually(async () => {
      const answer = await as(successor)("GET", `/v1/disputes/${disputeId}/dossier`);
      return answer.status === 200 && answer.body.dispute.status === "final" ? answer.body : undefined;
    }, 30_000);
    expect(dossier.dispute.arbitratorReplacements).toEqual([
      expect.objectContaining({
        previous: arbitrator.wallet.address,
        next: successor.wallet.address,
        by: body.wallet.address,
      }),
    ]);
    expect(summarizeDispute(dossier.certificates.map(summarizedRecordOf), m)).toEqual(dossier.dispute);
    // Verified against the chain: every escrow event it cites, the replacement's included.
    const verdict = await verifyDossier({ dossier, rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(verdict.valid, JSON.stringify(verdict)).toBe(true);
  });
});
