import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  decryptDelivery,
  encryptDelivery,
  fileDigest,
  generateDeliveryKey,
  MAX_MILESTONES,
  verifyDossier,
} from "../../sdk";
import { toContractTerms } from "../../gateway/escrow/terms";
import {
  agreeTerms,
  bankFolder,
  certifiedOnChain,
  move,
  openDeal,
  runBank,
  serveBank,
  signedBankClient,
} from "../helpers/escrow";
import { makeUser, type TestUser } from "../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../helpers/platform";

/** `npm run verify` with `args`, in a child process, without blocking this one. */
function runVerify(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/verify.ts", ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject).on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const CONTRACT_PDF = Buffer.from("%PDF-1.4\n% technology transfer contract\n%%EOF\n");
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("a deal through the escrow, with the bank client as its own process", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let arbitrator: TestUser;
  let bankDir: string;
  let bank: Awaited<ReturnType<typeof serveBank>>;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let credentials: { keyId: string; secret: string };
  const as = (user?: TestUser) => client(t.url, user?.token);
  const total = 3_000_000;

  /** A signed bank request, as a bank system sends it. */
  const asBank = (method: string, pathname: string, body?: unknown, key?: string) =>
    signedBankClient(t.url, () => credentials)(method, pathname, body, key);
  const milestoneOf = async (index: number) =>
    (await as(demander)("GET", `/v1/deals/${deal.id}/escrow`)).body.milestones[index];

  beforeAll(async () => {
    // The bank client listens on loopback, which webhooks reach only when the operator allows it.
    t = await startTestPlatform({ anchoring: { maxAgeMs: 100 }, webhooks: { allowedHosts: ["127.0.0.1"] } });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    deal = await openDeal(t, supplier, demander, reviewer);
    await certifiedOnChain(t, supplier, demander);
    bankDir = await bankFolder(t);
    credentials = JSON.parse(
      await (await import("node:fs/promises")).readFile(path.join(bankDir, "bank-credentials.json"), "utf8"),
    );
    bank = await serveBank(t, bankDir);
  }, 120_000);
  afterAll(async () => {
    await bank?.stop();
    await t?.close();
  });

  const terms = () => ({
    contract: { name: "contract.pdf", mediaType: "application/pdf", contentBase64: CONTRACT_PDF.toString("base64") },
    currency: deal.price?.currency ?? "CNY",
    total: deal.price?.amount ?? total,
    milestones: [
      {
        title: "Process package and training",
        amount: (deal.price?.amount ?? total) - 1_000_000,
        deliverBy: inDays(30),
      },
      { title: "Pilot line acceptance", amount: 1_000_000, deliverBy: inDays(60) },
    ],
    arbitratorId: arbitrator.id,
    inspectionPeriodSeconds: 7 * 86400,
    rulingPeriodSeconds: 14 * 86400,
    appealWindowSeconds: 0,
    // The contract has the arbitrator read deliveries too: they are encrypted to both.
    deliverToArbitrator: true,
  });

  it("refuses terms whose amounts do not add up, fractions, unknown currencies and a non-arbitrator", async () => {
    const bad = terms();
    const notAdding = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, { ...bad, total: bad.total + 1 });
    expect(notAdding.status).toBe(422);
    expect(["AMOUNTS_DO_NOT_ADD_UP", "TOTAL_NOT_DEAL_PRICE"]).toContain(notAdding.body.error.code);
    const fraction = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, {
      ...bad,
      milestones: [{ ...bad.milestones[0], amount: 1.5 }],
    });
    expect([fraction.status, fraction.body.error.code]).toEqual([400, "INVALID_REQUEST"]);
    const negative = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, {
      ...bad,
      milestones: [{ ...bad.milestones[0], amount: -5 }],
    });
    expect(negative.status).toBe(400);
    const currency = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, { ...bad, currency: "XYZ" });
    expect(currency.status).toBe(400);
    const notArbitrator = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, {
      ...bad,
      arbitratorId: supplier.id,
    });
    expect([notArbitrator.status, notArbitrator.body.error.code]).toEqual([422, "NOT_AN_ARBITRATOR"]);
    // One limit for the gateway and the contract: the SDK's MAX_MILESTONES (32).
    const tooMany = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, {
      ...bad,
      milestones: Array.from({ length: MAX_MILESTONES + 1 }, () => bad.milestones[0]),
    });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([422, "TOO_MANY_MILESTONES"]);
  });

  it("puts terms signed by both parties on chain, and refuses a wrong signer", async () => {
    const proposed = await as(demander)("POST", `/v1/deals/${deal.id}/terms`, terms());
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const { domain, types, message } = proposed.body.typedData;
    const forged = await arbitrator.wallet.signTypedData(domain, types, message);
    const refused = await as(supplier)("POST", `/v1/deals/${deal.id}/terms/signatures`, { signature: forged });
    expect([refused.status, refused.body.error.code]).toEqual([422, "WRONG_SIGNER"]);
    const escrow = await agreeTerms(t, deal, supplier, demander, terms());
    expect(escrow.milestones.map((m: { state: string }) => m.state)).toEqual(["pending", "pending"]);
    expect((await as(supplier)("GET", `/v1/deals/${deal.id}`)).body.escrow).toMatchObject({ status: "created" });
    const onChain = await t.platform.chain.escrow.dealOf(escrow.chainDealId);
    expect(onChain.milestoneCount).toBe(2n);
  });

  it("runs milestone 0 through deposit, delivery, acceptance and release with the bank client", async () => {
    const amount = terms().milestones[0].amount;
    const deposited = await runBank(t, bankDir, [
      "deposit",
      "--deal",
      deal.id,
      "--milestone",
      "0",
      "--amount",
      String(amount + 500),
      "--currency",
      terms().currency,
    ]);
    expect(deposited.code, deposited.stderr + deposited.stdout).toBe(0);
    await eventually(async () => ((await milestoneOf(0)).state === "locked" ? true : undefined));

    // The demander receives deliveries at an age key of its own; the supplier encrypts to it and to the arbitrator.
    const key = await generateDeliveryKey();
    await t.platform.users.setEncryptionRecipient(demander.id, key.recipient);
    const { parties } = (await as(supplier)("GET", `/v1/deals/${deal.id}/escrow`)).body;
    expect(parties.demander.recipient).toBe(key.recipient);
    const materials = Buffer.from("%PDF-1.4 process package v1.0: pyrolysis at 480 °C, 45 min");
    const sealed = Buffer.from(
      await encryptDelivery(materials, [parties.demander.recipient, parties.arbitrator.recipient]),
    );
    const delivered = await move(t, supplier, deal.id, 0, "deliver", {
      statement: {
        text: "Process package v1.0, encrypted to the demander",
        files: [
          {
            name: "package.age",
            bytes: sealed,
            recipients: [parties.demander.recipient, parties.arbitrator.recipient],
          },
        ],
      },
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.milestone.state).toBe("delivered");
    const download = await fetch(`${t.url}/v1/deals/${deal.id}/documents/${fileDigest(sealed)}`, {
      headers: { authorization: `Bearer ${demander.token}` },
    });
    expect(download.status).toBe(200);
    const received = new Uint8Array(await download.arrayBuffer());
    expect(Buffer.from(await decryptDelivery(received, key.identity)).toString()).toBe(materials.toString());
    const outsider = await makeUser(t, { roles: ["demander"] });
    expect((await as(outsider)("GET", `/v1/deals/${deal.id}/documents/${fileDigest(sealed)}`)).status).toBe(403);
    const wrongActor = await move(t, supplier, deal.id, 0, "accept");
    expect([wrongActor.status, wrongActor.body.error.code]).toEqual([403, "WRONG_ACTOR"]);
    const accepted = await move(t, demander, deal.id, 0, "accept");
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const released = await eventually(
      async () => ((await milestoneOf(0)).state === "released" ? milestoneOf(0) : undefined),
      30_000,
      "the release",
    );
    expect(released).toMatchObject({ locked: amount, released: amount, refunded: 0 });
    const instruction = await eventually(async () => {
      const all = (await asBank("GET", "/v1/bank/instructions?status=all")).body.instructions;
      const found = all.find((i: { dealId: string; milestone: number }) => i.dealId === deal.id && i.milestone === 0);
      return found?.chainStatus === "confirmed" ? found : undefined;
    });
    expect(instruction).toMatchObject({ kind: "release", bankStatus: "settled", release: amount, refund: 0 });
    const deposit = (await asBank("GET", "/v1/bank/instructions")).body.instructions;
    expect(deposit).toEqual([]);
  });

  it("refuses deposits for unknown deals, finished milestones, other currencies and short amounts", async () => {
    const base = { dealId: deal.id, milestone: 1, currency: terms().currency, amount: 1_000_000, bankRef: "REF-X1" };
    const unknown = await asBank("POST", "/v1/bank/deposits", { ...base, dealId: "deal_000000000000000000000000" });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "DEAL_NOT_FOUND"]);
    const finished = await asBank("POST", "/v1/bank/deposits", { ...base, milestone: 0 });
    expect([finished.status, finished.body.error.code]).toEqual([409, "MILESTONE_NOT_PENDING"]);
    const noSuch = await asBank("POST", "/v1/bank/deposits", { ...base, milestone: 7 });
    expect([noSuch.status, noSuch.body.error.code]).toEqual([404, "MILESTONE_NOT_FOUND"]);
    const other = await asBank("POST", "/v1/bank/deposits", { ...base, currency: "EUR" });
    expect([other.status, other.body.error.code]).toEqual([422, "CURRENCY_MISMATCH"]);
    const short = await asBank("POST", "/v1/bank/deposits", { ...base, amount: 999_999 });
    expect([short.status, short.body.error.code]).toEqual([422, "DEPOSIT_BELOW_AMOUNT"]);
    const fraction = await asBank("POST", "/v1/bank/deposits", { ...base, amount: 10.5 });
    expect(fraction.status).toBe(400);
    const unsigned = await client(t.url)("POST", "/v1/bank/deposits", base);
    expect(unsigned.status).toBe(401);
  });

  it("runs milestone 1 into a dispute, a split ruling executed by the bank, and a dossier that verifies", async () => {
    const deposited = await runBank(t, bankDir, [
      "deposit",
      "--deal",
      deal.id,
      "--milestone",
      "1",
      "--amount",
      "1000000",
      "--currency",
      terms().currency,
    ]);
    expect(deposited.code, deposited.stderr).toBe(0);
    await eventually(async () => ((await milestoneOf(1)).state === "locked" ? true : undefined));
    await move(t, supplier, deal.id, 1, "deliver", { statement: { text: "Pilot line commissioning report" } });
    const opened = await move(t, demander, deal.id, 1, "open-dispute", {
      statement: {
        text: "Throughput is 60% of the contracted 1 t/h",
        files: [{ name: "measurements.csv", bytes: Buffer.from("hour,tonnes\n1,0.6\n") }],
      },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const disputeId = `${deal.id}.m1`;
    const talk = await as(supplier)("POST", `/v1/disputes/${disputeId}/messages`, {
      text: "The feedstock was out of specification",
    });
    expect(talk.status).toBe(201);
    const notAdding = await move(t, supplier, deal.id, 1, "propose-settlement", { release: 900_000, refund: 50_000 });
    expect([notAdding.status, notAdding.body.error.code]).toEqual([422, "SPLIT_DOES_NOT_ADD_UP"]);
    expect(
      (await move(t, supplier, deal.id, 1, "propose-settlement", { release: 800_000, refund: 200_000 })).status,
    ).toBe(200);
    expect((await move(t, demander, deal.id, 1, "escalate")).status).toBe(200);
    const dispute = (await as(arbitrator)("GET", `/v1/disputes/${disputeId}`)).body.dispute;
    expect(dispute).toMatchObject({ status: "arbitration", arbitratorId: arbitrator.id });
    // The ruling through the SDK's action: it reads the nonce, signs and hands the move in.
    const ruled = await createGatewayClient({ baseUrl: t.url, token: arbitrator.token }).moveMilestone({
      dealId: deal.id,
      milestone: 1,
      action: "rule",
      signer: arbitrator.wallet,
      statement: { text: "Ruling: 70% to the supplier, 30% returned to the demander" },
      release: 700_000,
      refund: 300_000,
    });
    expect(ruled.milestone.state).toBe("splitting");
    const split = await eventually(
      async () => ((await milestoneOf(1)).state === "split" ? milestoneOf(1) : undefined),
      30_000,
      "the split",
    ).catch(async (error) => {
      throw new Error(
        `${error.message}; milestone ${JSON.stringify(await milestoneOf(1))}; the bank said:\n${bank.output()}`,
      );
    });
    expect(split).toMatchObject({ released: 700_000, refunded: 300_000 });
    expect((await as(supplier)("GET", `/v1/disputes/${disputeId}`)).body.dispute.status).toBe("final");

    const dossier = await eventually(
      async () => {
        const answer = await as(arbitrator)("GET", `/v1/disputes/${disputeId}/dossier`);
        return answer.status === 200 && answer.body.pendingRecords === 0 ? answer.body : undefined;
      },
      30_000,
      "a fully anchored dossier",
    );
    expect(dossier.certificates.length).toBeGreaterThan(10);
    expect(dossier.documents.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(["contract.pdf", "package.age", "measurements.csv"]),
    );
    const verdict = await verifyDossier({ dossier, rpcUrl: t.chain.rpcUrl, trust: t.trust });
    expect(verdict.verdict, verdict.reason).toBe("VALID");
    // The summary is derived from the records, and each escrow event checked on chain.
    expect(verdict.dispute).toMatchObject({
      status: "final",
      ruling: { release: "700000", refund: "300000", final: true },
    });
    expect(verdict.checks.find((c) => c.name === "escrow events")?.detail).toMatch(
      /checked against the trusted escrow/,
    );
    const file = path.join(bankDir, "dossier.json");
    await writeFile(file, JSON.stringify(dossier));
    const trustFile = path.join(bankDir, "trust.json");
    await writeFile(trustFile, JSON.stringify(t.trust));
    // Not spawnSync: blocking this process for seconds stalls the in-process gateway's timers too, and
    // the next request can then race the server closing its idle keep-alive connection (ECONNRESET).
    const cli = await runVerify([file, "--trust", trustFile, "--rpc", t.chain.rpcUrl]);
    expect(cli.status, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^VALID: seq 0\.\.\d+ complete and in order/m);
    expect((await as(supplier)("GET", `/v1/disputes/${disputeId}/dossier`)).status).toBe(200);
    const stranger = await makeUser(t, { roles: ["demander"] });
    expect((await as(stranger)("GET", `/v1/disputes/${disputeId}/dossier`)).status).toBe(403);
  });

  it("reconciles: every fund event with its transaction and bank reference, balances, no breaks", async () => {
    const statement = await eventually(async () => {
      const answer = (await asBank("GET", "/v1/bank/reconciliation")).body;
      return answer.events.filter((e: { event: string }) => e.event.startsWith("Milestone")).length === 2
        ? answer
        : undefined;
    });
    expect(statement.breaks).toEqual([]);
    const balance = statement.balances.find((b: { dealId: string }) => b.dealId === deal.id);
    expect(balance).toMatchObject({
      deposited: terms().total,
      released: terms().total - 300_000,
      refunded: 300_000,
      locked: 0,
      lockedOnChain: 0,
    });
    for (const event of statement.events) expect(event.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    const csv = await asBank("GET", "/v1/bank/reconciliation?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(String(csv.body).split("\r\n")[0]).toContain("bank_ref");
    const splitLine = String(csv.body)
      .split("\r\n")
      .find((line) => line.startsWith("event,") && line.includes(",MilestoneSplit,"));
    expect(splitLine, "the split, with its amounts and the bank's reference").toMatch(/,700000,300000,0,SPL-/);
  });

  it("records the admin's emergency pause and the deadlines it extended, on the escrow's own subject", async () => {
    const escrow = t.platform.chain.escrow;
    // The admin is the gateway's own key here: send through its queue, beside the anchorer's transactions.
    await t.platform.chain.sendAndWait((overrides) => escrow.pause(overrides));
    const paused = await move(t, demander, deal.id, 1, "accept");
    expect([paused.status, paused.body.error.code]).toEqual([409, "ESCROW_PAUSED"]);
    // /health said ok through a pause: it shows it, and since when.
    const health = await eventually(async () => {
      const body = (await client(t.url)("GET", "/health")).body;
      return body.escrow.paused ? body : undefined;
    });
    expect(health.status).toBe("degraded");
    expect(health.escrow.pausedSince).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    await t.platform.chain.sendAndWait((overrides) => escrow.unpause(overrides));
    const resumed = await eventually(async () => {
      const body = (await client(t.url)("GET", "/health")).body;
      return body.escrow.paused ? undefined : body;
    });
    expect(resumed.escrow.pausedSince).toBeUndefined();
    const subject = `escrow:${t.deployment.escrow!.toLowerCase()}`;
    const records = await eventually(async () => {
      const chain = await client(t.url, t.token)("GET", `/v1/subjects/${subject}/evidence`);
      const records: Array<{ id: string }> = chain.body.records ?? [];
      const named = await Promise.all(
        records.map(async (r) => (await t.platform.tables.evidence.records.get(r.id))!.data.event as string),
      );
      return named.includes("DeadlinesExtended") ? named : undefined;
    });
    // The deployment's role grants come first: who holds BANK_ROLE and OPERATOR_ROLE is on record too.
    expect(records.filter((name: string) => name !== "RoleGranted")).toEqual([
      "Paused",
      "Unpaused",
      "DeadlinesExtended",
    ]);
    expect(records.filter((name: string) => name === "RoleGranted").length).toBeGreaterThanOrEqual(3);
  });

  it("records a deal found on chain already (sent before a crash) with the transaction that created it", async () => {
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    const second = await openDeal(t, supplier, demander, reviewer);
    const proposed = await as(demander)("POST", `/v1/deals/${second.id}/terms`, terms());
    expect(proposed.status).toBe(201);
    const { domain, types, message } = proposed.body.typedData;
    const signatures = [
      await supplier.wallet.signTypedData(domain, types, message),
      await demander.wallet.signTypedData(domain, types, message),
    ];
    // What a gateway that crashed right after sending would have left: the deal on chain, not recorded.
    const receipt = await t.platform.chain.sendAndWait((overrides) =>
      t.platform.chain.escrow.createDeal(toContractTerms(message), signatures[0], signatures[1], overrides),
    );
    await as(supplier)("POST", `/v1/deals/${second.id}/terms/signatures`, { signature: signatures[0] });
    await as(demander)("POST", `/v1/deals/${second.id}/terms/signatures`, { signature: signatures[1] });
    const escrow = (await as(demander)("GET", `/v1/deals/${second.id}/escrow`)).body;
    expect(escrow.status).toBe("created");
    expect(escrow.creation).toMatchObject({ transactionHash: receipt.hash, blockNumber: receipt.blockNumber });
  });

  // Last: it stops the chain.
  it("answers 503 CHAIN_UNAVAILABLE, never a 500, while the chain is away", async () => {
    await t.chain.stop();
    const view = await as(demander)("GET", `/v1/deals/${deal.id}/escrow`);
    expect([view.status, view.body.error.code]).toEqual([503, "CHAIN_UNAVAILABLE"]);
    const deposit = await asBank("POST", "/v1/bank/deposits", {
      dealId: deal.id,
      milestone: 1,
      currency: terms().currency,
      amount: 1_000_000,
      bankRef: "REF-DOWN-1",
    });
    expect([deposit.status, deposit.body.error.code]).toEqual([503, "CHAIN_UNAVAILABLE"]);
    const health = await client(t.url)("GET", "/health");
    expect(health.body.status).toBe("degraded");
  });
});
