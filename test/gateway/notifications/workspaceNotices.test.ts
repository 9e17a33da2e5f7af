import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayClient, verifyWebhook, type GatewayClient, type InboxNotification } from "../../../sdk";
import { StreamTickets, STREAM_TICKET_TTL_MS } from "../../../gateway/notifications/streamTickets";
import type { Principal } from "../../../gateway/auth/roles";
import { openDeal } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

// Participants' webhooks go by the bank's host rules: the loopback receiver is allowed explicitly.
const TIMINGS = { minBackoffMs: 50, maxBackoffMs: 400, pollMs: 20, timeoutMs: 2000, allowedHosts: ["127.0.0.1"] };

/** A participant's webhook receiver on loopback: records every request, answers `status`. */
async function receiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string; status: number }> = [];
  const state = { status: 204 };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), status: state.status });
    response.writeHead(state.status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hooks`;
  return {
    url,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Opens `/v1/inbox/stream` and collects the notifications it sends until `stop`. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const events: InboxNotification[] = [];
  let text = "";
  if (response.status === 200) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          text += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = text.indexOf("\n\n")) >= 0) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            const data = /^data: (.*)$/m.exec(block);
            if (/^event: notification$/m.test(block) && data) events.push(JSON.parse(data[1]) as InboxNotification);
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  const body = response.status === 200 ? undefined : await response.json();
  return { status: response.status, body, events, stop: () => controller.abort() };
}

describe("deal notifications from the workspace: moves, participants, messages (confidential ones too), webhooks, stream tickets", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let broker: TestUser;
  let manager: TestUser;
  let evaluator: TestUser;
  let dealId: string;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  const sdk = (user: TestUser): GatewayClient => createGatewayClient({ baseUrl: t.url, token: user.token });
  const as = (user?: TestUser) => client(t.url, user?.token);
  const operator = () => client(t.url, t.token);
  const inboxOf = async (user: TestUser) => (await sdk(user).getInbox({ limit: 200 })).notifications;

  /** Waits for `user`'s notification that `match` picks, once every record so far is handled. */
  async function notified(user: TestUser, match: (n: InboxNotification) => boolean, what: string) {
    return eventually(async () => (await inboxOf(user)).find(match), 10_000, `${what} for ${user.id}`);
  }
  const settled = async () => {
    await t.platform.recorder.idle();
    await t.platform.dealNotices.idle();
  };

  beforeAll(async () => {
    t = await startTestPlatform({ webhooks: TIMINGS });
    hooks = await receiver();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    const reviewer = await makeUser(t, { roles: ["reviewer"] });
    broker = await makeUser(t, { roles: ["broker"] });
    manager = await makeUser(t, { roles: ["manager"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    dealId = (await openDeal(t, supplier, demander, reviewer)).id;
  }, 120_000);
  afterAll(async () => {
    await hooks?.close();
    await t?.close();
  });

  it("tells the deal's people of an appointment and a move, not the one who made it", async () => {
    await sdk(supplier).appointDealParticipant({ dealId, role: "broker", userId: broker.id });
    await sdk(demander).appointDealParticipant({ dealId, role: "broker", userId: broker.id });
    await operator()("POST", `/v1/deals/${dealId}/participants`, { role: "manager", userId: manager.id });
    await sdk(supplier).engageEvaluator({ dealId, userId: evaluator.id, kinds: ["value"] });
    const appointed = await notified(
      broker,
      (n) => n.kind === "deal.participant" && n.text.includes("appointed"),
      "the broker's appointment",
    );
    expect(appointed).toMatchObject({ dealId, link: `/v1/deals/${dealId}/workspace` });
    expect(appointed.recordId).toMatch(/^[0-9a-f-]{36}$/);
    await notified(evaluator, (n) => n.kind === "deal.participant", "the evaluator's engagement");

    const moved = await sdk(supplier).moveDeal({ dealId, move: "begin_negotiation" });
    expect(moved.state).toBe("negotiating");
    for (const user of [demander, broker, manager]) {
      const notice = await notified(user, (n) => n.kind === "deal.moved", "the move");
      expect(notice.text).toContain("opened to negotiating");
    }
    await settled();
    expect(
      (await inboxOf(supplier)).filter((n) => n.kind === "deal.moved"),
      "the mover hears nothing",
    ).toEqual([]);
  });

  it("tells every reader of a thread of a new message: a confidential thread's only to the parties, broker and manager", async () => {
    const open = await sdk(supplier).sendDealMessage({ dealId, text: "我们可以安排参观中试线。", language: "zh" });
    for (const user of [demander, broker, manager, evaluator]) {
      const notice = await notified(
        user,
        (n) => n.kind === "deal.message" && n.recordId === open.recordId,
        "a message",
      );
      expect(notice.link).toBe(`/v1/deals/${dealId}/messages?thread=thr_main`);
    }
    const thread = await sdk(demander).openDealThread({ dealId, title: "Royalty base", confidential: true });
    const secret = await sdk(demander).sendDealMessage({
      dealId,
      threadId: thread.id,
      text: "Our net sales in 2025 were THB 1.2 bn.",
      language: "en",
    });
    for (const user of [supplier, broker, manager]) {
      await notified(user, (n) => n.recordId === secret.recordId, "the confidential message");
    }
    await settled();
    const evaluatorSees = (await inboxOf(evaluator)).map((n) => n.recordId);
    expect(evaluatorSees, "the evaluator may not read the confidential thread").not.toContain(secret.recordId);
    expect(
      (await inboxOf(demander)).map((n) => n.recordId),
      "the author hears nothing of their own",
    ).not.toContain(secret.recordId);
  });

  it("registers, lists and deletes a participant's webhook, refusing hosts the operator does not allow", async () => {
    const refused = await as(demander)("POST", "/v1/notification-webhooks", { url: "http://10.0.0.7/hooks" });
    expect([refused.status, refused.body.error.code]).toEqual([400, "WEBHOOK_HOST_NOT_ALLOWED"]);
    const bad = await as(demander)("POST", "/v1/notification-webhooks", { url: "ftp://example.com/x" });
    expect([bad.status, bad.body.error.code]).toEqual([400, "INVALID_REQUEST"]);

    const spare = await sdk(demander).registerNotificationWebhook({ url: `${hooks.url}/spare` });
    expect(spare).toMatchObject({ userId: demander.id, url: `${hooks.url}/spare` });
    expect(spare.id).toMatch(/^whk_[0-9a-f]{16}$/);
    expect(spare.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const { webhooks } = await sdk(demander).listNotificationWebhooks();
    expect(webhooks.map((w) => w.id)).toEqual([spare.id]);
    expect(JSON.stringify(webhooks), "the secret is shown once").not.toContain(spare.secret);

    const byOther = await as(supplier)("DELETE", `/v1/notification-webhooks/${spare.id}`);
    expect([byOther.status, byOther.body.error.code]).toEqual([404, "WEBHOOK_NOT_FOUND"]);
    await sdk(demander).deleteNotificationWebhook({ webhookId: spare.id });
    expect((await sdk(demander).listNotificationWebhooks()).webhooks).toEqual([]);
    const again = await as(demander)("DELETE", `/v1/notification-webhooks/${spare.id}`);
    expect([again.status, again.body.error.code]).toEqual([404, "WEBHOOK_NOT_FOUND"]);

    const many = [];
    for (let i = 0; i < 5; i++) many.push(await sdk(manager).registerNotificationWebhook({ url: `${hooks.url}/${i}` }));
    const sixth = await as(manager)("POST", "/v1/notification-webhooks", { url: `${hooks.url}/6` });
    expect([sixth.status, sixth.body.error.code]).toEqual([409, "TOO_MANY_WEBHOOKS"]);
    for (const webhook of many) await sdk(manager).deleteNotificationWebhook({ webhookId: webhook.id });
  });

  it("sends a participant's notifications to their webhook, signed so that verifyWebhook accepts them, retrying a failure", async () => {
    const { secret, id } = await sdk(supplier).registerNotificationWebhook({ url: hooks.url });
    hooks.state.status = 503;
    const message = await sdk(demander).sendDealMessage({ dealId, text: "Can we visit on Monday?", language: "en" });
    const failed = await eventually(
      async () => hooks.received.find((r) => r.status === 503 && r.body.includes(message.recordId)),
      10_000,
      "a refused delivery",
    );
    hooks.state.status = 204;
    const delivered = await eventually(
      async () => hooks.received.find((r) => r.status === 204 && r.body.includes(message.recordId)),
      10_000,
      "the delivery retried",
    );
    expect(delivered.headers["webhook-id"], "a retry is the same message").toBe(failed.headers["webhook-id"]);
    const verified = verifyWebhook(secret, (name) => delivered.headers[name] as string | undefined, delivered.body);
    expect(verified).toMatchObject({
      id: delivered.headers["webhook-id"],
      type: "deal.message",
      data: { userId: supplier.id, kind: "deal.message", dealId, recordId: message.recordId },
    });
    expect(() =>
      verifyWebhook(
        `whsec_${Buffer.alloc(32).toString("base64")}`,
        (name) => delivered.headers[name] as string | undefined,
        delivered.body,
      ),
    ).toThrow();
    const listed = await eventually(
      async () => {
        const [webhook] = (await sdk(supplier).listNotificationWebhooks()).webhooks;
        return webhook?.lastAttempt?.status === 204 ? webhook : undefined;
      },
      5_000,
      "the last attempt listed",
    );
    expect(listed.id).toBe(id);
  });

  it("streams to an EventSource with a single-use ticket, and refuses a used, unknown or missing one with 401", async () => {
    const ticket = await sdk(broker).createStreamTicket();
    expect(ticket.ticket).toMatch(/^stk_[A-Za-z0-9_-]{32}$/);
    expect(Date.parse(ticket.expiresAt) - Date.now()).toBeLessThanOrEqual(STREAM_TICKET_TTL_MS);
    const stream = await openStream(`${t.url}/v1/inbox/stream?ticket=${encodeURIComponent(ticket.ticket)}`);
    expect(stream.status).toBe(200);
    try {
      const message = await sdk(supplier).sendDealMessage({ dealId, text: "Agenda attached.", language: "en" });
      const streamed = await eventually(
        async () => stream.events.find((n) => n.recordId === message.recordId),
        10_000,
        "the streamed notification",
      );
      expect(streamed).toMatchObject({ userId: broker.id, kind: "deal.message", dealId });
    } finally {
      stream.stop();
    }
    const reused = await openStream(`${t.url}/v1/inbox/stream?ticket=${encodeURIComponent(ticket.ticket)}`);
    expect([reused.status, reused.body.error.code]).toEqual([401, "STREAM_TICKET_INVALID"]);
    const unknown = await openStream(`${t.url}/v1/inbox/stream?ticket=stk_${"A".repeat(32)}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, "STREAM_TICKET_INVALID"]);
    const none = await openStream(`${t.url}/v1/inbox/stream`);
    expect([none.status, none.body.error.code]).toEqual([401, "AUTHENTICATION_REQUIRED"]);
    // The session token is not taken from the URL.
    const inUrl = await openStream(`${t.url}/v1/inbox/stream?ticket=${encodeURIComponent(broker.token)}`);
    expect([inUrl.status, inUrl.body.error.code]).toEqual([401, "STREAM_TICKET_INVALID"]);
    const anonymous = await client(t.url)("POST", "/v1/inbox/stream-tickets");
    expect(anonymous.status).toBe(401);
  });

  // Every other kind of the deal, from the record that makes it: who hears it (never the one who did it).
  it("turns each kind of deal record into its notification for the people it concerns", async () => {
    const people = () => ({ s: supplier.id, d: demander.id, b: broker.id, m: manager.id, e: evaluator.id });
    const { s, d, b, m } = people();
    const cases: Array<{ kind: string; data: Record<string, unknown>; expect: string; to: string[] }> = [
      {
        kind: "negotiation.recorded",
        data: { type: "session.requested", by: s },
        expect: "deal.negotiation",
        to: [d, b, m],
      },
      { kind: "negotiation.recorded", data: { type: "minutes", by: b }, expect: "deal.negotiation", to: [s, d, m] },
      { kind: "negotiation.recorded", data: { type: "minutes.signed" }, expect: "deal.negotiation", to: [s, d, b, m] },
      { kind: "investigation.recorded", data: { type: "site-visit", by: b }, expect: "deal.visit", to: [s, d, m] },
      {
        kind: "investigation.recorded",
        data: { type: "evaluation", kind: "value", by: evaluator.id },
        expect: "deal.evaluation",
        to: [s, d, b, m],
      },
      {
        kind: "contract.drafted",
        data: { type: "version", version: 2, by: s },
        expect: "contract.version",
        to: [d, b, m],
      },
      {
        kind: "contract.drafted",
        data: { type: "signature", version: 2, side: "demander" },
        expect: "contract.signature",
        to: [s, b, m],
      },
      { kind: "contract.signed", data: { version: 2 }, expect: "contract.signed", to: [s, d, b, m] },
      {
        kind: "royalty.reported",
        data: {
          period: { from: "2026-01-01", to: "2026-03-31" },
          royalty: 12_345,
          currency: "CNY",
          dueBy: "2099-04-30",
          by: d,
        },
        expect: "royalty.reported",
        to: [s, b, m],
      },
      { kind: "escrow.terms.proposed", data: { version: 1, proposedBy: d }, expect: "escrow.terms", to: [s] },
      {
        kind: "escrow.move",
        data: { move: "cancel", milestone: 0, side: "supplier", waitingForOtherParty: true },
        expect: "escrow.signature-requested",
        to: [d],
      },
      {
        kind: "negotiation.recorded",
        data: { dispute: `${dealId}.m0`, milestone: 0, by: d },
        expect: "dispute.message",
        to: [s],
      },
    ];
    const escrowEvents: Array<[string, Record<string, string>, string, string[]]> = [
      ["MilestoneRefunded", { amount: "100000" }, "escrow.refunded", [s, d, b, m]],
      ["MilestoneSplit", { released: "60000", refunded: "40000" }, "escrow.split", [s, d, b, m]],
      ["SettlementProposed", { release: "1", refund: "2" }, "dispute.settlement", [s, d]],
      ["RulingAppealed", { rulingDeadline: "4102444800" }, "dispute.appealed", [s, d]],
      ["RulingFinalized", {}, "dispute.finalized", [s, d]],
      ["MilestoneCancelled", { refundDue: "false" }, "escrow.milestone", [s, d]],
      ["InspectionLapsed", {}, "escrow.milestone", [s, d]],
    ];
    for (const [event, args, expect, to] of escrowEvents) {
      // Every event the gateway records from the chain names its transaction.
      const transactionHash = `0x${"ab".repeat(32)}`;
      cases.push({ kind: "escrow.event", data: { event, milestone: 3, args, transactionHash }, expect, to });
    }
    // Records that concern nobody: evidence of a kind no notice is about, and an
    // "escrow event" posted as evidence that names no transaction (not the escrow's own).
    cases.push({ kind: "evidence.attested", data: { note: "measured on site", by: d }, expect: "—", to: [] });
    cases.push({
      kind: "escrow.event",
      data: { event: "MilestoneRefunded", milestone: 3, args: { amount: "100000" } },
      expect: "—",
      to: [],
    });
    const everyone = [supplier, demander, broker, manager, evaluator];
    for (const [i, c] of cases.entries()) {
      const recordId = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      t.platform.dealNotices.recorded([
        {
          header: {
            v: 1,
            id: recordId,
            kind: c.kind,
            subject: `deal:${dealId}`,
            seq: 0,
            prev: `0x${"00".repeat(32)}`,
            recordedAt: new Date().toISOString(),
          },
          data: c.data,
          salts: {},
          fieldCommitments: {},
          commitment: `0x${"00".repeat(32)}`,
        } as unknown as Parameters<typeof t.platform.dealNotices.recorded>[0][number],
      ]);
      await t.platform.dealNotices.idle();
      const heard: string[] = [];
      for (const user of everyone) {
        const notice = (await inboxOf(user)).find((n) => n.recordId === recordId);
        if (notice) {
          expect(notice.kind, `${c.kind} ${JSON.stringify(c.data)}`).toBe(c.expect);
          expect(notice.dealId).toBe(dealId);
          heard.push(user.id);
        }
      }
      expect(heard.sort(), `${c.kind} → ${c.expect}`).toEqual([...c.to].sort());
    }
    // The royalty's payment date is a reminder to the licensee who reported it, on the gateway's clock.
    const royalty = (await t.platform.reminders.pending()).find((r) => r.key.startsWith(`${dealId}:royalty:`));
    expect(royalty).toMatchObject({ clock: "gateway", userIds: [d], deadline: "2099-04-30T23:59:59.999Z" });
  });

  it("lets a stream ticket lapse after 60 seconds", () => {
    let now = 1_000_000;
    const tickets = new StreamTickets(() => now);
    const principal: Principal = { kind: "user", id: "usr_x", address: "0x0", roles: [], certified: true };
    const { ticket } = tickets.issue(principal);
    now += STREAM_TICKET_TTL_MS;
    expect(() => tickets.redeem(ticket)).toThrow(
      expect.objectContaining({ status: 401, code: "STREAM_TICKET_INVALID" }),
    );
    const fresh = tickets.issue(principal);
    now += STREAM_TICKET_TTL_MS - 1;
    expect(tickets.redeem(fresh.ticket)).toBe(principal);
  });
});
