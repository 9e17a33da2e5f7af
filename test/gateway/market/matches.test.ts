import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, type TestUser } from "../../helpers/identity";
import { pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

/** Reads Server-Sent Events from `url` and collects the `notification` events. */
function listen(url: string, token: string) {
  const controller = new AbortController();
  const events: any[] = [];
  const done = fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
    .then(async (response) => {
      const reader = response.body!.getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (block.includes("event: notification") && data) events.push(JSON.parse(data.slice(6)));
        }
      }
    })
    .catch(() => undefined);
  return { events, close: () => (controller.abort(), done) };
}

describe("matches, deals and notifications", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let reviewer: TestUser;
  let broker: TestUser;
  const logged: string[] = [];
  const as = (user?: TestUser) => client(t.url, user?.token);

  async function publish(owner: TestUser, body: unknown): Promise<string> {
    const created = await as(owner)("POST", "/v1/listings", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await as(reviewer)("POST", `/v1/listings/${created.body.id}/review`, { approved: true });
    return created.body.id;
  }

  beforeAll(async () => {
    t = await startTestPlatform({ log: (message) => logged.push(message) });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    broker = await makeUser(t, { roles: ["broker"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("tells the owners of matching listings and saved searches, live and in the inbox", async () => {
    const stream = listen(`${t.url}/v1/inbox/stream`, supplier.token);
    const saved = await as(demander)("POST", "/v1/saved-searches", {
      q: "光伏 回收",
      filters: { side: "supply", region: "CN" },
    });
    expect(saved.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const demand = await publish(demander, solarRecyclingDemand());
    const supply = await publish(supplier, pvRecyclingSupply());
    const live = await eventually(async () =>
      stream.events.find((e) => e.kind === "listing.matched") ? stream.events : undefined,
    );
    await stream.close();
    expect(live.find((e: { kind: string }) => e.kind === "listing.matched").link).toBe(`/v1/listings/${demand}`);
    const inbox = await as(demander)("GET", "/v1/inbox");
    const kinds = inbox.body.notifications.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain("search.matched");
    expect(kinds).toContain("listing.matched");
    expect(inbox.body.notifications.find((n: { kind: string }) => n.kind === "search.matched").link).toBe(
      `/v1/listings/${supply}`,
    );
    const searches = await as(demander)("GET", "/v1/saved-searches");
    expect(searches.body.searches).toHaveLength(1);
    expect((await as(supplier)("DELETE", `/v1/saved-searches/${saved.body.id}`)).status).toBe(403);
    expect((await as(demander)("DELETE", `/v1/saved-searches/${saved.body.id}`)).status).toBe(204);
  });

  it("takes a client leaving the notification stream as normal, not as an internal error", async () => {
    const before = logged.length;
    for (let i = 0; i < 3; i++) {
      const stream = listen(`${t.url}/v1/inbox/stream`, supplier.token);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await stream.close();
    }
    // The server sees the disconnect on its next write: a notification to the listener that left.
    await as(demander)("POST", "/v1/saved-searches", { q: "断开", filters: { side: "supply" } });
    await publish(supplier, pvRecyclingSupply());
    await new Promise((resolve) => setTimeout(resolve, 300));
    const errors = logged.slice(before).filter((line) => /internal error|Error/.test(line));
    expect(errors).toEqual([]);
  });

  it("names a listing in notifications by its approved version, not by an edit waiting for review", async () => {
    const supply = await publish(supplier, pvRecyclingSupply());
    const demand = await publish(demander, solarRecyclingDemand());
    const unreviewed = "未经审核的新标题 Unreviewed new title";
    const edited = await as(supplier)(
      "PUT",
      `/v1/listings/${supply}`,
      pvRecyclingSupply({ title: { zh: unreviewed, en: unreviewed } }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const proposed = await as(broker)("POST", "/v1/matches", { supplyId: supply, demandId: demand, note: "fits" });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const notification = (await as(demander)("GET", "/v1/inbox")).body.notifications.find(
      (n: { kind: string; link: string }) =>
        n.kind === "match.proposed" && n.link === `/v1/matches/${proposed.body.id}`,
    );
    expect(notification.text).toContain(pvRecyclingSupply().title.zh);
    expect(notification.text).not.toContain(unreviewed);
  });

  it("opens a deal when both sides confirm a match the demander proposed online", async () => {
    const supply = await publish(supplier, pvRecyclingSupply());
    const demand = await publish(demander, solarRecyclingDemand());
    const proposed = await as(demander)("POST", "/v1/matches", { supplyId: supply, demandId: demand });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ origin: "online", status: "proposed" });
    expect(proposed.body.score).toBeGreaterThan(0.5);
    const again = await as(demander)("POST", "/v1/matches", { supplyId: supply, demandId: demand });
    expect([again.status, again.body.error.code]).toEqual([409, "MATCH_EXISTS"]);
    const first = await as(demander)("POST", `/v1/matches/${proposed.body.id}/answer`, { accept: true });
    expect(first.body.match.status).toBe("proposed");
    expect(first.body.deal).toBeUndefined();
    const stranger = await makeUser(t, { roles: ["supplier"] });
    expect((await as(stranger)("POST", `/v1/matches/${proposed.body.id}/answer`, { accept: true })).status).toBe(403);
    expect((await as(stranger)("GET", `/v1/matches/${proposed.body.id}`)).status).toBe(403);
    const second = await as(supplier)("POST", `/v1/matches/${proposed.body.id}/answer`, { accept: true });
    expect(second.body.match.status).toBe("confirmed");
    const deal = second.body.deal;
    expect(deal).toMatchObject({
      supplyId: supply,
      demandId: demand,
      supplierId: supplier.id,
      demanderId: demander.id,
      status: "negotiating",
    });
    expect((await as(demander)("GET", `/v1/deals/${deal.id}`)).status).toBe(200);
    expect((await as(stranger)("GET", `/v1/deals/${deal.id}`)).status).toBe(403);
    expect((await as(supplier)("GET", "/v1/deals")).body.deals.map((d: { id: string }) => d.id)).toContain(deal.id);
    const evidence = await client(t.url, t.token)("GET", `/v1/subjects/match:${proposed.body.id}/evidence`);
    expect(evidence.body.records.map((r: { kind: string }) => r.kind)).toEqual([
      "match.recorded",
      "match.answered",
      "match.answered",
    ]);
    const dealEvidence = await client(t.url, t.token)("GET", `/v1/subjects/deal:${deal.id}/evidence`);
    expect(dealEvidence.body.records.map((r: { kind: string }) => r.kind)).toEqual(["deal.opened"]);
    const twice = await as(supplier)("POST", `/v1/matches/${proposed.body.id}/answer`, { accept: false });
    expect([twice.status, twice.body.error.code]).toEqual([409, "MATCH_CLOSED"]);
  });

  it("records a broker's offline match, which a decline closes", async () => {
    const supply = await publish(supplier, pvRecyclingSupply());
    const demand = await publish(demander, solarRecyclingDemand());
    const recorded = await as(broker)("POST", "/v1/matches", {
      supplyId: supply,
      demandId: demand,
      note: "2026-11-20 昆明技术交易会现场对接",
    });
    expect(recorded.body).toMatchObject({ origin: "broker", brokerId: broker.id });
    expect((await as(broker)("GET", `/v1/matches/${recorded.body.id}`)).status).toBe(200);
    const duplicate = await as(demander)("POST", "/v1/matches", { supplyId: supply, demandId: demand });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, "MATCH_EXISTS"]);
    const declined = await as(supplier)("POST", `/v1/matches/${recorded.body.id}/answer`, { accept: false });
    expect(declined.body.match.status).toBe("declined");
    // A declined pair may be proposed again later.
    const again = await as(demander)("POST", "/v1/matches", { supplyId: supply, demandId: demand });
    expect(again.status).toBe(201);
    const outsider = await makeUser(t, { roles: ["demander"] });
    const refused = await as(outsider)("POST", "/v1/matches", { supplyId: supply, demandId: demand });
    expect([refused.status, refused.body.error.code]).toEqual([403, "NOT_A_PARTY"]);
    const wrongSides = await as(broker)("POST", "/v1/matches", { supplyId: demand, demandId: supply });
    expect([wrongSides.status, wrongSides.body.error.code]).toEqual([400, "SIDES_MISMATCH"]);
  });
});
