import { readFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReceiptSigner } from "../../../gateway/evidence/receipts";
import {
  RECEIPT_BATCH_FORMAT,
  createGatewayClient,
  parseTrustAnchor,
  verifyReceipts,
  type TrustAnchor,
} from "../../../sdk";
import { makeUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

describe("receipts and the gateway's trust anchor", () => {
  let t: TestPlatform;
  const operator = () => client(t.url, t.token);

  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers every record with a receipt signed by the key the trust anchor names", async () => {
    const answer = await operator()("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:receipts",
      data: { price: 1_200_000 },
    });
    expect(answer.status).toBe(202);
    const { receipt } = answer.body;
    expect(receipt).toMatchObject({
      format: "tech-transfer-ledger/evidence-receipt@1",
      recordId: answer.body.id,
      subject: "deal:receipts",
      seq: 0,
      commitment: answer.body.commitment,
      chainId: t.trust.chainId,
    });
    const header = JSON.parse(Buffer.from(answer.headers.get("evidence-receipts")!, "base64url").toString("utf8"));
    expect(header).toEqual([receipt]);
    expect(verifyReceipts([receipt], t.trust)).toHaveLength(1);
    expect(() => verifyReceipts([{ ...receipt, seq: 1 }], t.trust)).toThrow(/not signed by/);
  });

  it("signs the receipts of records that became durable together once, each with its proof, and they all verify", async () => {
    // A receipt alone is signed on its own (@1); under load the evidence thread signs
    // up to eight at once over a Merkle root (@2). Forty writes at once make both.
    // The evidence thread is the process's: a signer of our own shows when it is up.
    const probe = new ReceiptSigner(Wallet.createRandom().privateKey, "31337");
    await eventually(async () => probe.threaded || undefined, 10_000, "evidence thread up");
    await probe.close();
    // Which receipts share a message with the thread depends on timing: on a loaded machine
    // the forty may reach the thread one by one. Up to five rounds, until some were signed together.
    const receipts: any[] = [];
    let batched: any[] = [];
    for (let round = 0; round < 5 && batched.length === 0; round++) {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          operator()("POST", "/v1/evidence", {
            kind: "contract.signed",
            subject: `deal:batch-${n % 4}`,
            data: { n, round },
          }),
        ),
      );
      expect(answers.every((answer) => answer.status === 202)).toBe(true);
      const these = answers.map((answer) => answer.body.receipt);
      expect(verifyReceipts(these, t.trust)).toHaveLength(40);
      receipts.push(...these);
      batched = receipts.filter((receipt) => receipt.format === "tech-transfer-ledger/evidence-receipt@2");
    }
    expect(batched.length, "some receipts were signed together").toBeGreaterThan(0);
    for (const receipt of batched) {
      expect(receipt.proof.length).toBeGreaterThanOrEqual(1);
      expect(receipt.proof.length).toBeLessThanOrEqual(3);
    }
    const [one] = batched;
    expect(() => verifyReceipts([{ ...one, seq: one.seq + 1 }], t.trust)).toThrow(/not signed by/);
  });

  it("the SDK client keeps the receipts it gets, for every action that recorded", async () => {
    const sdk = createGatewayClient({ baseUrl: t.url, token: t.token });
    const handle = await sdk.recordEvidence({ kind: "contract.signed", subject: "deal:receipts", data: { n: 1 } });
    await sdk.recordEvidence({ kind: "contract.signed", subject: "deal:receipts", data: { n: 2 } });
    const kept = sdk.receipts();
    expect(kept.map((r) => r.seq)).toEqual([1, 2]);
    expect(kept[0].recordId).toBe(handle.id);
    expect(sdk.withToken(t.token).receipts()).toHaveLength(2);
    expect(verifyReceipts(kept, t.trust)).toHaveLength(2);
  });

  it("serves a record's receipt again to whoever may read the record", async () => {
    const answer = await operator()("POST", "/v1/evidence", {
      kind: "contract.signed",
      subject: "deal:receipts",
      data: { n: 3 },
    });
    const sdk = createGatewayClient({ baseUrl: t.url, token: t.token });
    expect(await sdk.getReceipt({ id: answer.body.id })).toEqual(answer.body.receipt);
    const user = await makeUser(t, { roles: [] });
    const refused = await client(t.url, user.token)("GET", `/v1/evidence/${answer.body.id}/receipt`);
    expect([refused.status, refused.body.error.code]).toEqual([403, "NOT_YOUR_RECORD"]);
  });

  it("publishes its trust anchor at /v1/chain/trust and in DATA_DIR/trust.json", async () => {
    const answer = await client(t.url)("GET", "/v1/chain/trust");
    expect(answer.status).toBe(200);
    const trust = parseTrustAnchor(answer.body);
    const genesis = (await t.platform.chain.provider.getBlock(0))!.hash;
    expect(trust).toEqual({ ...t.trust, genesisHash: genesis });
    const file = await eventually(async () =>
      readFile(path.join(t.dataDir, "trust.json"), "utf8").catch(() => undefined),
    );
    expect(JSON.parse(file)).toEqual(answer.body);
  });
});

/** The fields of `count` receipts of records of `subject`, seq 0 on. */
function receiptFields(count: number, subject: string) {
  return Array.from({ length: count }, (_, seq) => ({
    recordId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    subject,
    seq,
    commitment: `0x${String(seq).padStart(64, "0")}`,
  }));
}

describe("ReceiptSigner on the evidence thread", () => {
  it("signs batches of receipts on the thread, each valid for its record, alone as the same key signs them here", async () => {
    const key = Wallet.createRandom().privateKey;
    const threaded = new ReceiptSigner(key, "31337");
    const here = new ReceiptSigner(key, "31337", { thread: false });
    try {
      // The process's thread starts on first use.
      await eventually(async () => threaded.threaded || undefined);
      const fields = receiptFields(40, "deal:threaded");
      const receipts = await Promise.all(fields.map((f) => threaded.sign(f)));
      // verifyReceipts reads the chain and the receipt signers of a trust anchor.
      const trust = { chainId: "31337", receiptSigners: [threaded.address] } as unknown as TrustAnchor;
      expect(verifyReceipts(receipts, trust)).toHaveLength(40);
      receipts.forEach((receipt, i) => {
        const alone = here.receiptFor(fields[i]);
        // Signed with others (@2), a receipt carries its proof and the batch's signature instead.
        if (receipt.format === alone.format) expect(receipt).toEqual(alone);
        else expect(receipt).toMatchObject({ ...alone, format: RECEIPT_BATCH_FORMAT, signature: expect.any(String) });
      });
      expect(receipts.some((receipt) => receipt.format === RECEIPT_BATCH_FORMAT)).toBe(true);
    } finally {
      await threaded.close();
    }
  });
});

describe("receipts signed alone, for answers kept without them", () => {
  it("signs receipts asked for alone one by one on the thread, each as receiptFor signs it here", async () => {
    const key = Wallet.createRandom().privateKey;
    const threaded = new ReceiptSigner(key, "31337");
    const here = new ReceiptSigner(key, "31337", { thread: false });
    try {
      await eventually(async () => threaded.threaded || undefined);
      const fields = receiptFields(11, "deal:alone");
      // Asked for in one turn with receipts that may be signed together: only those are batched.
      const [alone, together] = await Promise.all([
        Promise.all(fields.map((f) => threaded.sign(f, { alone: true }))),
        Promise.all(fields.map((f) => threaded.sign({ ...f, subject: "deal:together" }))),
      ]);
      expect(alone).toEqual(fields.map((f) => here.receiptFor(f)));
      expect(together.some((receipt) => receipt.format === RECEIPT_BATCH_FORMAT)).toBe(true);
    } finally {
      await threaded.close();
    }
  });

  it("answers an idempotent write with a receipt of its own, kept without it and replayed byte for byte", async () => {
    const t = await startTestPlatform();
    try {
      const body = { kind: "contract.signed", subject: "deal:alone-idempotent", data: { digest: "0x01" } };
      const send = (key: string) =>
        fetch(`${t.url}/v1/evidence`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${t.token}`,
            "Idempotency-Key": key,
          },
          body: JSON.stringify(body),
        });
      const first = await send("alone-idempotent-0001");
      const text = await first.text();
      const answer = JSON.parse(text);
      expect(first.status).toBe(202);
      expect(answer.receipt.format).toBe("tech-transfer-ledger/evidence-receipt@1");
      expect(verifyReceipts([answer.receipt], t.trust)).toHaveLength(1);
      const sdk = createGatewayClient({ baseUrl: t.url, token: t.token });
      expect(await sdk.getReceipt({ id: answer.id })).toEqual(answer.receipt);
      const replay = await send("alone-idempotent-0001");
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(await replay.text()).toBe(text);

      // The kept answer holds no receipt: the replay signed it again.
      const table = t.platform.tables.http.idempotency;
      const slotOf = async (key: string) => {
        for await (const slot of table.keys()) if (slot.endsWith(`\x00${key}`)) return slot;
        throw new Error(`no answer kept for ${key}`);
      };
      const kept = await table.get(await slotOf("alone-idempotent-0001"));
      expect(kept?.response?.body).not.toHaveProperty("receipt");

      // An answer kept with its receipt (as answers were before) is replayed as it was kept.
      const older = await send("alone-idempotent-0002").then((r) => r.json());
      const slot = await slotOf("alone-idempotent-0002");
      const entry = (await table.get(slot))!;
      const keptReceipt = { ...older.receipt, signature: "0xkept" };
      await table.put(slot, { ...entry, response: { ...entry.response!, body: { ...older, receipt: keptReceipt } } });
      const replayed = await send("alone-idempotent-0002").then((r) => r.json());
      expect(replayed.receipt).toEqual(keptReceipt);
    } finally {
      await t.close();
    }
  });
});
