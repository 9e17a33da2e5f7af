import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookDispatcher, signWebhook } from "../../../gateway/escrow/webhooks";
import type { WebhookAttempt, WebhookMessage } from "../../../gateway/escrow/types";
import { verifyWebhook } from "../../../sdk/bank/verifyWebhook";
import { client, eventually, freePort, startTestPlatform, type TestPlatform } from "../../helpers/platform";

// The bank's stand-in listens on loopback, which webhooks reach only when the operator allows it.
const TIMINGS = { minBackoffMs: 50, maxBackoffMs: 400, pollMs: 20, timeoutMs: 2000, allowedHosts: ["127.0.0.1"] };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
  at: number;
}

/** A bank's webhook endpoint on loopback: records every request, answers `status`. */
async function receiver(port = 0) {
  const received: Received[] = [];
  const state = { status: 204 };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const status = state.status;
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), status, at: Date.now() });
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}/webhooks`;
  return {
    url,
    received,
    state,
    /** The ids of the messages answered 2xx, in the order they arrived (from request number `from`). */
    deliveredIds: (from = 0) =>
      received
        .slice(from)
        .filter((r) => r.status >= 200 && r.status < 300)
        .map((r) => String(r.headers["webhook-id"])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const header = (headers: IncomingHttpHeaders) => (name: string) => headers[name];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("WebhookDispatcher: signed, retried, ordered, durable deliveries to the bank", () => {
  let t: TestPlatform;
  let bank: Awaited<ReturnType<typeof receiver>>;
  let secret: string;
  let restarted: WebhookDispatcher | undefined;

  /** Queues a message the way the escrow's event handling does: its outbox write in a store batch. */
  async function enqueue(
    payload: Record<string, unknown>,
    type: WebhookMessage["type"] = "deposit.locked",
    dispatcher = t.platform.webhooks,
  ): Promise<WebhookMessage> {
    const op = dispatcher.enqueue(type, payload);
    await t.platform.database.write([op]);
    return (op as { value: WebhookMessage }).value;
  }

  const outboxEntry = async (message: WebhookMessage) =>
    t.platform.tables.escrow.webhookOutbox.get(String(message.sequence).padStart(12, "0"));

  const attemptsOf = async (message: WebhookMessage): Promise<WebhookAttempt[]> =>
    (await t.platform.webhooks.attempts(1000))
      .filter((a) => a.messageId === message.id)
      .sort((a, b) => a.attempt - b.attempt);

  const deliveredAll = (...messages: WebhookMessage[]) =>
    eventually(
      async () => {
        for (const message of messages) if (!(await outboxEntry(message))?.deliveredAt) return undefined;
        return true;
      },
      15_000,
      `messages ${messages.map((m) => m.sequence).join(", ")} delivered`,
    );

  beforeAll(async () => {
    t = await startTestPlatform({ webhooks: TIMINGS });
    bank = await receiver();
    secret = (await t.platform.webhooks.setEndpoint(bank.url)).secret;
  }, 120_000);
  afterAll(async () => {
    await restarted?.stop();
    await bank?.close();
    await t?.close();
  });

  it("refuses a webhook URL whose host the operator does not allow, over HTTP, and keeps the endpoint", async () => {
    const { token } = await t.platform.credentials.create({ label: "bank (bearer)", roles: ["bank"] });
    const before = await t.platform.webhooks.endpoint();
    // Here the operator allows 127.0.0.1 (where the test receiver listens), and nothing else.
    for (const url of [
      "http://10.0.0.5:8080/hooks",
      "http://localhost:8090/webhooks",
      "http://[::1]:8545/",
      "https://bank.example.cn/",
    ]) {
      const response = await client(t.url, token)("PUT", "/v1/bank/webhook", { url });
      expect([response.status, response.body.error.code], url).toEqual([400, "WEBHOOK_HOST_NOT_ALLOWED"]);
    }
    expect(await t.platform.webhooks.endpoint()).toEqual(before);
  });

  it("delivers a message with Standard Webhooks headers that verifyWebhook accepts under the endpoint's secret", async () => {
    expect(secret, "setEndpoint answers a whsec_ secret").toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const message = await enqueue({ dealId: "deal_1", milestone: 0, amount: 1000, bankRef: "DEP-1" });
    await deliveredAll(message);
    const request = bank.received.find((r) => r.headers["webhook-id"] === message.id);
    expect(request, "the receiver got the message").toBeDefined();
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["webhook-signature"], "signature header is v1,<base64>").toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(request!.headers["webhook-signature"], "the signature is signWebhook over id.timestamp.body").toBe(
      signWebhook(secret, message.id, Number(request!.headers["webhook-timestamp"]), request!.body),
    );
    const verified = verifyWebhook(secret, header(request!.headers), request!.body);
    expect(verified, "the verified body carries the message").toEqual({
      id: message.id,
      sequence: message.sequence,
      type: "deposit.locked",
      data: { dealId: "deal_1", milestone: 0, amount: 1000, bankRef: "DEP-1" },
    });
    const attempts = await attemptsOf(message);
    expect(attempts, "one attempt, answered 204, logged").toMatchObject([
      { messageId: message.id, attempt: 1, url: bank.url, status: 204 },
    ]);
    expect(await t.platform.webhooks.undelivered(), "nothing waits").toEqual([]);
  });

  it("refuses a tampered body, a wrong secret, a moved signature and a stale timestamp", async () => {
    const message = await enqueue({ dealId: "deal_2", milestone: 1, amount: 500 }, "instruction.issued");
    await deliveredAll(message);
    const request = bank.received.find((r) => r.headers["webhook-id"] === message.id)!;
    const headers = header(request.headers);
    expect(() => verifyWebhook(secret, headers, request.body), "the genuine webhook verifies").not.toThrow();
    const tampered = request.body.replace('"amount":500', '"amount":5000000');
    expect(tampered, "the tampering changed the body").not.toBe(request.body);
    expect(() => verifyWebhook(secret, headers, tampered), "a tampered body").toThrow(/signature does not match/);
    const wrongSecret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    expect(() => verifyWebhook(wrongSecret, headers, request.body), "a wrong secret").toThrow(
      /signature does not match/,
    );
    const otherId = (name: string) => (name === "webhook-id" ? "msg_000000000000000000000000" : headers(name));
    expect(() => verifyWebhook(secret, otherId, request.body), "the signature moved to another id").toThrow(
      /signature does not match/,
    );
    const later = (Number(request.headers["webhook-timestamp"]) + 3600) * 1000;
    expect(() => verifyWebhook(secret, headers, request.body, { now: later }), "an hour later").toThrow(
      /too old or too new/,
    );
  });

  it("retries a receiver answering 500 with growing gaps, logs every failed attempt, and delivers each message once", async () => {
    bank.state.status = 500;
    const first = await enqueue({ n: 1 });
    const second = await enqueue({ n: 2 });
    const third = await enqueue({ n: 3 });
    try {
      expect([second.sequence, third.sequence], "sequences increase").toEqual([first.sequence + 1, first.sequence + 2]);
      // 50, 100, 200, 400, 400 ms: the sixth attempt comes about 1.15 s after the first.
      await eventually(
        async () => ((await attemptsOf(first)).length >= 6 ? true : undefined),
        15_000,
        "six failed attempts of the first message",
      );
      expect(
        (await t.platform.webhooks.undelivered()).map((m) => m.id),
        "all three wait, oldest first",
      ).toEqual([first.id, second.id, third.id]);
      expect(bank.deliveredIds(), "nothing answered 500 counts as delivered").not.toContain(first.id);
    } finally {
      bank.state.status = 200;
    }
    await deliveredAll(first, second, third);
    await sleep(300); // a few poll cycles: a delivered message must not go out again

    const attempts = await attemptsOf(first);
    const failed = attempts.slice(0, -1);
    expect(failed.length, "at least six failures logged").toBeGreaterThanOrEqual(6);
    for (const a of failed) {
      expect(a, `attempt ${a.attempt} logged with status 500`).toMatchObject({ status: 500, url: bank.url });
    }
    expect(
      attempts.map((a) => a.attempt),
      "attempts numbered 1, 2, 3… with no gap",
    ).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.at(-1)!.status, "the last attempt succeeded").toBe(200);
    const times = attempts.map((a) => Date.parse(a.at));
    const gaps = times.slice(1).map((time, i) => time - times[i]);
    gaps.forEach((gap, i) => {
      const backoff = Math.min(TIMINGS.minBackoffMs * 2 ** i, TIMINGS.maxBackoffMs);
      expect(gap, `gap after attempt ${i + 1} is at least its backoff ${backoff} ms`).toBeGreaterThanOrEqual(backoff);
      expect(gap, `gap after attempt ${i + 1} is not much more than its backoff ${backoff} ms`).toBeLessThan(
        backoff + 1000,
      );
    });
    // The gaps grow because each is at least its doubled backoff (checked above); comparing
    // two measured gaps with each other instead fails on a loaded machine, where a poll
    // that comes late stretches one gap by more than the next backoff adds.
    expect((await outboxEntry(first))!.attempts, "the outbox counts the attempts").toBe(attempts.length);

    for (const message of [first, second, third]) {
      const log = await attemptsOf(message);
      expect(
        log.filter((a) => a.status === 200).length,
        `message ${message.sequence}: one successful attempt in the log`,
      ).toBe(1);
      expect(log.at(-1)!.status, `message ${message.sequence}: nothing after its success`).toBe(200);
      expect(
        bank.deliveredIds().filter((id) => id === message.id).length,
        `message ${message.sequence} answered 2xx exactly once by the receiver`,
      ).toBe(1);
      expect(
        bank.received.filter((r) => r.headers["webhook-id"] === message.id).length,
        `message ${message.sequence}: the receiver saw exactly its logged attempts`,
      ).toBe(log.length);
    }
    expect(await t.platform.webhooks.undelivered(), "nothing waits").toEqual([]);
  });

  it("delivers in sequence order: a later message does not overtake an earlier one waiting for its retry", async () => {
    bank.state.status = 500;
    const first = await enqueue({ n: "earlier" });
    let second: WebhookMessage | undefined;
    try {
      await eventually(
        async () => ((await attemptsOf(first)).length >= 4 ? true : undefined),
        15_000,
        "four failed attempts of the earlier message",
      );
      // The earlier message now waits ~400 ms for its next attempt; the receiver is back.
      second = await enqueue({ n: "later" });
      bank.state.status = 200;
      await deliveredAll(first, second);
      const order = bank.deliveredIds().filter((id) => id === first.id || id === second!.id);
      expect(order, "the receiver gets the earlier message first").toEqual([first.id, second.id]);
      expect(
        await attemptsOf(second),
        "the later message is not tried while the earlier one has not gone through",
      ).toMatchObject([{ attempt: 1, status: 200 }]);
    } finally {
      bank.state.status = 200;
      await deliveredAll(first, ...(second ? [second] : []));
    }
  });

  it("keeps trying a receiver that is down (connection refused), and delivers once it is back", async () => {
    const port = await freePort();
    const downUrl = `http://127.0.0.1:${port}/webhooks`;
    const downSecret = (await t.platform.webhooks.setEndpoint(downUrl)).secret;
    expect(downSecret, "a new endpoint gets a new secret").not.toBe(secret);
    const message = await enqueue({ n: "while down" });
    await eventually(
      async () => ((await attemptsOf(message)).length >= 4 ? true : undefined),
      15_000,
      "four failed attempts against the closed port",
    );
    const failed = await attemptsOf(message);
    for (const a of failed) {
      expect(a.status, `attempt ${a.attempt} got no status`).toBeUndefined();
      expect(a.error, `attempt ${a.attempt} logs its error`).toEqual(expect.any(String));
      expect(a.url).toBe(downUrl);
    }
    expect(
      (await t.platform.webhooks.undelivered()).map((m) => m.id),
      "the message waits",
    ).toEqual([message.id]);

    const back = await receiver(port);
    try {
      await deliveredAll(message);
      await sleep(200);
      const request = back.received.filter((r) => r.headers["webhook-id"] === message.id);
      expect(request.length, "delivered exactly once when the receiver came back").toBe(1);
      expect(verifyWebhook(downSecret, header(request[0].headers), request[0].body).data).toEqual({
        n: "while down",
      });
      expect(() => verifyWebhook(secret, header(request[0].headers), request[0].body), "the old secret").toThrow();
    } finally {
      await back.close();
      secret = (await t.platform.webhooks.setEndpoint(bank.url)).secret;
    }
  });

  it("keeps undelivered messages across a restart of the dispatcher, and the new one delivers them in order", async () => {
    await t.platform.webhooks.stop();
    const before = bank.received.length;
    const first = await enqueue({ n: "queued while stopped 1" });
    const second = await enqueue({ n: "queued while stopped 2" });
    await sleep(300);
    expect(bank.received.length, "a stopped dispatcher delivers nothing").toBe(before);
    expect(
      (await t.platform.webhooks.undelivered()).map((m) => m.id),
      "both wait in the outbox",
    ).toEqual([first.id, second.id]);

    restarted = new WebhookDispatcher(t.platform.tables.escrow, TIMINGS);
    await restarted.start();
    await deliveredAll(first, second);
    await sleep(200);
    expect(bank.deliveredIds(before), "each delivered once, in order, by the new dispatcher").toEqual([
      first.id,
      second.id,
    ]);
    const request = bank.received.find((r) => r.headers["webhook-id"] === second.id)!;
    expect(verifyWebhook(secret, header(request.headers), request.body).sequence).toBe(second.sequence);

    // The new dispatcher carries the sequence on from the outbox, never reusing a number.
    const third = await enqueue({ n: "after restart" }, "deposit.locked", restarted);
    expect(third.sequence, "the next sequence after the restart").toBe(second.sequence + 1);
    await deliveredAll(third);
    expect(bank.deliveredIds(before), "then the new message").toEqual([first.id, second.id, third.id]);
  });
});
