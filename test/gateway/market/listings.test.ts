import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser, type TestUser } from "../../helpers/identity";
import { batterySoftwareSupply, pvRecyclingSupply, solarRecyclingDemand } from "../../helpers/listings";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

describe("listings, review, search and matching", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let reviewer: TestUser;
  const as = (user?: TestUser) => client(t.url, user?.token);

  async function publishApproved(owner: TestUser, body: unknown): Promise<string> {
    const created = await as(owner)("POST", "/v1/listings", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const reviewed = await as(reviewer)("POST", `/v1/listings/${created.body.id}/review`, { approved: true });
    expect(reviewed.body.status).toBe("approved");
    return created.body.id;
  }

  beforeAll(async () => {
    t = await startTestPlatform();
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("publishes a Chinese supply for review, keeps it private until approved, then makes its public part searchable", async () => {
    const created = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ side: "supply", status: "submitted", versions: [{ version: 1 }] });
    const id = created.body.id;
    expect((await as()("GET", `/v1/listings/${id}`)).status).toBe(403);
    expect((await as()("GET", "/v1/listings?q=光伏")).body.total).toBe(0);

    const queue = await as(reviewer)("GET", "/v1/listings/review-queue");
    expect(queue.body.listings.map((l: { id: string }) => l.id)).toContain(id);
    await as(reviewer)("POST", `/v1/listings/${id}/review`, { approved: true });

    const publicView = await as()("GET", `/v1/listings/${id}`);
    expect(publicView.status).toBe(200);
    expect(publicView.body.current.title.zh).toContain("光伏");
    expect(publicView.body.current.details).toBeUndefined();
    expect(publicView.body.hasDetails).toBe(true);
    const found = await as()("GET", "/v1/listings?q=光伏组件回收");
    expect(found.body.results[0].id).toBe(id);
    const english = await as()("GET", `/v1/listings?q=${encodeURIComponent("silicon recovery")}&side=supply`);
    expect(english.body.results.map((r: { id: string }) => r.id)).toContain(id);
    const filtered = await as()("GET", "/v1/listings?ipc=B09B&minTrl=6&region=CN&currency=CNY&maxPrice=150000000");
    expect(filtered.body.results.map((r: { id: string }) => r.id)).toContain(id);
    expect((await as()("GET", "/v1/listings?minTrl=7")).body.results.map((r: { id: string }) => r.id)).not.toContain(
      id,
    );

    const records = await as({ token: t.token } as TestUser)("GET", `/v1/subjects/listing:${id}/evidence`);
    expect(records.body.records.map((r: { kind: string }) => r.kind)).toEqual([
      "listing.submitted",
      "listing.reviewed",
    ]);
  });

  it("matches an English demand to a Chinese supply, with reasons, and keeps the look-alike below", async () => {
    const pv = await publishApproved(supplier, pvRecyclingSupply());
    const lookAlike = await publishApproved(supplier, batterySoftwareSupply());
    const demand = await publishApproved(demander, solarRecyclingDemand());
    const matches = await as(demander)("GET", `/v1/listings/${demand}/matches`);
    expect(matches.status).toBe(200);
    const ids = matches.body.matches.map((m: { id: string }) => m.id);
    expect(ids.indexOf(pv)).toBeGreaterThanOrEqual(0);
    if (ids.includes(lookAlike)) expect(ids.indexOf(pv)).toBeLessThan(ids.indexOf(lookAlike));
    const best = matches.body.matches.find((m: { id: string }) => m.id === pv);
    const factors = Object.fromEntries(
      best.reasons.map((r: { factor: string; detail: string }) => [r.factor, r.detail]),
    );
    expect(factors.ipc).toContain("B09B");
    expect(factors.trl).toContain("meets the minimum");
    expect(factors.price).toContain("fits the budget");
    expect(factors.mode).toContain("exclusive-licence");
    expect(best.content.details).toBeUndefined();
    // The supplier sees the same pair from its side.
    const back = await as(supplier)("GET", `/v1/listings/${pv}/matches`);
    expect(back.body.matches[0].id).toBe(demand);
    // Someone else's listing's matches are not theirs to see.
    expect((await as(demander)("GET", `/v1/listings/${pv}/matches`)).status).toBe(403);
  });

  it("searches across languages, says how the query was bridged, and takes a pasted description of 2,000 characters", async () => {
    const chineseOnly = await publishApproved(
      supplier,
      pvRecyclingSupply({
        title: { zh: "光伏组件封装胶膜" },
        summary: { zh: "光伏组件用低水汽透过率封装胶膜。" },
        problemSolved: { zh: "组件易受潮衰减" },
        translated: [],
        keywords: ["封装胶膜"],
      }),
    );
    const found = await as()("GET", `/v1/listings?q=${encodeURIComponent("photovoltaic encapsulation")}&side=supply`);
    expect(found.status).toBe(200);
    expect(found.body.results.map((r: { id: string }) => r.id)).toContain(chineseOnly);
    expect(found.body.bridged).toContainEqual({ from: "photovoltaic", to: "光伏", via: "dictionary" });

    // A pasted description of 700 characters fits in the URL; one of 2,000 goes in the body.
    const description = "我们需要一种适用于光伏组件的封装材料，要求水汽透过率低、耐紫外老化。".repeat(60);
    const inUrl = await as()("GET", `/v1/listings?q=${encodeURIComponent(`封装胶膜 ${description.slice(0, 695)}`)}`);
    expect(inUrl.status).toBe(200);
    expect(inUrl.body.results[0].id).toBe(chineseOnly);
    const pasted = `封装胶膜 ${description}`.slice(0, 2000);
    const long = await as()("POST", "/v1/listings/search", { q: pasted, side: "supply", limit: 5 });
    expect(long.status).toBe(200);
    expect(long.body.results[0].id).toBe(chineseOnly);
    const tooLong = await as()("POST", "/v1/listings/search", { q: `${pasted}x` });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain("q");
  });

  it("shows the details only after the owner grants access, and records the grant", async () => {
    const id = await publishApproved(supplier, pvRecyclingSupply());
    const requested = await as(demander)("POST", `/v1/listings/${id}/access-requests`, {
      message: "我们希望评估工艺参数",
    });
    expect(requested.status).toBe(201);
    expect((await as(demander)("GET", `/v1/listings/${id}`)).body.current.details).toBeUndefined();
    const notOwner = await as(demander)("POST", `/v1/listings/${id}/access-requests/${requested.body.requestId}/grant`);
    expect(notOwner.status).toBe(403);
    const granted = await as(supplier)("POST", `/v1/listings/${id}/access-requests/${requested.body.requestId}/grant`);
    expect(granted.status).toBe(200);
    const view = await as(demander)("GET", `/v1/listings/${id}`);
    expect(view.body.current.details.process).toContain("480");
    expect(view.body.detailsGranted).toBe(true);
  });

  it("keeps versions: an edit goes to review while the approved version stays public; withdrawal hides it", async () => {
    const id = await publishApproved(supplier, pvRecyclingSupply());
    const edited = await as(supplier)("PUT", `/v1/listings/${id}`, pvRecyclingSupply({ trl: 7 }));
    expect(edited.body).toMatchObject({ status: "submitted", approvedVersion: 1 });
    expect(edited.body.versions).toHaveLength(2);
    expect((await as()("GET", `/v1/listings/${id}`)).body.current.trl).toBe(6);
    await as(reviewer)("POST", `/v1/listings/${id}/review`, { approved: true });
    expect((await as()("GET", `/v1/listings/${id}`)).body.current.trl).toBe(7);
    const withdrawn = await as(supplier)("POST", `/v1/listings/${id}/withdrawal`, { reason: "已转让" });
    expect(withdrawn.body.status).toBe("withdrawn");
    expect((await as()("GET", `/v1/listings/${id}`)).status).toBe(403);
    expect((await as(supplier)("GET", `/v1/listings/${id}`)).body.status).toBe("withdrawn");
  });

  it("rejects with named reasons, and refuses a reviewer reviewing their own listing", async () => {
    const created = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply());
    const noReason = await as(reviewer)("POST", `/v1/listings/${created.body.id}/review`, { approved: false });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "REASON_REQUIRED"]);
    const rejected = await as(reviewer)("POST", `/v1/listings/${created.body.id}/review`, {
      approved: false,
      reasons: ["incomplete", "duplicate"],
      note: "缺少专利法律状态证明",
    });
    expect(rejected.body.status).toBe("rejected");
    expect(rejected.body.versions[0].review.reasons).toEqual(["incomplete", "duplicate"]);
    const both = await makeUser(t, { roles: ["supplier", "reviewer"] });
    const own = await as(both)("POST", "/v1/listings", pvRecyclingSupply());
    const self = await as(both)("POST", `/v1/listings/${own.body.id}/review`, { approved: true });
    expect([self.status, self.body.error.code]).toEqual([403, "SELF_REVIEW"]);
  });

  it("lets only certified holders of the side's role publish, and says why", async () => {
    const uncertified = await makeUser(t, { roles: ["supplier"], certified: false });
    const refused = await as(uncertified)("POST", "/v1/listings", pvRecyclingSupply());
    expect([refused.status, refused.body.error.code]).toEqual([403, "NOT_CERTIFIED"]);
    expect(refused.body.error.message).toContain("certification");
    const wrongSide = await as(supplier)("POST", "/v1/listings", solarRecyclingDemand());
    expect([wrongSide.status, wrongSide.body.error.code]).toEqual([403, "ROLE_REQUIRED"]);
    const noRole = await makeUser(t, { roles: [] });
    expect((await as(noRole)("POST", "/v1/listings", pvRecyclingSupply())).status).toBe(403);
  });

  describe("bad input", () => {
    const cases: Array<[string, () => unknown, string]> = [
      ["a malformed IPC code", () => pvRecyclingSupply({ ipc: ["H01M10-54"] }), "ipc"],
      ["TRL out of range", () => pvRecyclingSupply({ trl: 10 }), "TRL"],
      [
        "a price with a fraction",
        () => pvRecyclingSupply({ price: { amount: 1200.5, currency: "CNY" } }),
        "minor units",
      ],
      ["an unknown currency", () => pvRecyclingSupply({ price: { amount: 1200, currency: "XYZ" } }), "ISO 4217"],
      [
        "a budget minimum above its maximum",
        () => solarRecyclingDemand({ budget: { min: 10, max: 5, currency: "CNY" } }),
        "min",
      ],
      ["a missing disclosure field", () => ({ ...pvRecyclingSupply(), keywords: undefined }), "keywords"],
      ["a bad region", () => pvRecyclingSupply({ region: "Yunnan" }), "region"],
      ["a bad deadline", () => solarRecyclingDemand({ deadline: "next year" }), "deadline"],
    ];
    for (const [what, body, mention] of cases) {
      it(`refuses ${what}`, async () => {
        const owner = (body() as { side: string }).side === "demand" ? demander : supplier;
        const response = await as(owner)("POST", "/v1/listings", body());
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe("INVALID_REQUEST");
        expect(response.body.error.message).toContain(mention);
      });
    }

    it("refuses a title missing in the source language", async () => {
      const response = await as(supplier)("POST", "/v1/listings", pvRecyclingSupply({ language: "th" }));
      expect([response.status, response.body.error.code]).toEqual([400, "INVALID_LISTING"]);
    });
  });
});
