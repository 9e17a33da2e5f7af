import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkInSchema,
  complaintSchema,
  createGatewayClient,
  dealStatisticsSchema,
  followUpQuestionSchema,
  ratingSchema,
  ratingSummarySchema,
} from "../../../sdk";
import { addMonths, DealFollowUp } from "../../../gateway/deal/followUp";
import { DealEscrow__factory } from "../../../sdk/typechain/factories/contracts/DealEscrow__factory";
import { agreeTerms, certifiedOnChain, move, openDeal, signedBankClient } from "../../helpers/escrow";
import { makeUser, type TestUser } from "../../helpers/identity";
import { client, eventually, startTestPlatform, type TestPlatform } from "../../helpers/platform";

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/**
 * Aftercare (6.9, 6.11): one deal taken through the escrow to delivery, then its
 * follow-up questions, check-ins and their reminder, ratings and complaints; and
 * a second deal that stops before signing, for the statistics' conversion.
 */
describe("the deal's aftercare: follow-up, check-ins, ratings, complaints, statistics", () => {
  let t: TestPlatform;
  let supplier: TestUser;
  let demander: TestUser;
  let broker: TestUser;
  let manager: TestUser;
  let evaluator: TestUser;
  let auditor: TestUser;
  let outsider: TestUser;
  let reviewer: TestUser;
  let deal: { id: string; price?: { amount: number; currency: string } };
  let other: { id: string };
  /** How far the platform's clock runs ahead of the real one (the reminder sweep and complaint deadlines read it). */
  let clockAhead = 0;
  const as = (user?: TestUser) => client(t.url, user?.token);
  const asOperator = () => client(t.url, t.token);
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });
  const refusal = (response: { status: number; body: any }) => [response.status, response.body?.error?.code];

  beforeAll(async () => {
    t = await startTestPlatform({ clock: () => new Date(Date.now() + clockAhead) });
    supplier = await makeUser(t, { type: "institute", roles: ["supplier"] });
    demander = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    broker = await makeUser(t, { roles: ["broker"] });
    manager = await makeUser(t, { roles: ["manager"] });
    evaluator = await makeUser(t, { roles: ["evaluator"] });
    auditor = await makeUser(t, { roles: ["auditor"] });
    outsider = await makeUser(t, { type: "enterprise", roles: ["demander"] });
    reviewer = await makeUser(t, { roles: ["reviewer"] });
    const arbitrator = await makeUser(t, { type: "institute", roles: ["arbitrator"] });
    await certifiedOnChain(t, supplier, demander);
    deal = await openDeal(t, supplier, demander, reviewer);
    for (const party of [supplier, demander]) {
      for (const [role, user] of [
        ["broker", broker],
        ["manager", manager],
      ] as const) {
        const appointed = await as(party)("POST", `/v1/deals/${deal.id}/participants`, { role, userId: user.id });
        expect(appointed.status, JSON.stringify(appointed.body)).toBe(200);
      }
    }
    await as(demander)("POST", `/v1/deals/${deal.id}/evaluators`, { userId: evaluator.id, kinds: ["value"] });
    await as(demander)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_negotiation" });
    await as(broker)("POST", `/v1/deals/${deal.id}/moves`, { move: "begin_contracting" });

    const total = deal.price?.amount ?? 5_000_000;
    const currency = deal.price?.currency ?? "CNY";
    await agreeTerms(t, deal, supplier, demander, {
      contract: {
        name: "contract.pdf",
        mediaType: "application/pdf",
        contentBase64: Buffer.from("%PDF-1.4").toString("base64"),
      },
      currency,
      total,
      milestones: [{ title: "Process package", amount: total, deliverBy: inDays(30) }],
      arbitratorId: arbitrator.id,
      inspectionPeriodSeconds: 7 * 86_400,
      rulingPeriodSeconds: 14 * 86_400,
    });
    await eventually(
      async () =>
        (await as(supplier)("GET", `/v1/deals/${deal.id}/workspace`)).body.state === "signed" ? true : undefined,
      20_000,
      "the deal signed",
    );

    // The bank locks the deposit; the supplier delivers; the demander accepts.
    const credentials = await t.platform.credentials.createSigningKey({ label: "test bank", roles: ["bank"] });
    const report = await signedBankClient(t.url, () => credentials)("POST", "/v1/bank/deposits", {
      dealId: deal.id,
      milestone: 0,
      currency,
      amount: total,
      bankRef: "REF-AFTERCARE-0",
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const [chainDealId, milestone, code, deposited, bankRef] = report.body.attest.args;
    const provider = new JsonRpcProvider(t.chain.rpcUrl, undefined, { cacheTimeout: -1 });
    const escrow = DealEscrow__factory.connect(t.deployment.escrow!, new Wallet(t.bankKey, provider));
    await (await escrow.lockDeposit(chainDealId, milestone, code, deposited, bankRef, { gasPrice: 0, type: 0 })).wait();
    await t.platform.escrowEvents.catchUp();
    const delivered = await move(t, supplier, deal.id, 0, "deliver", { statement: { text: "Process package v1" } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect((await move(t, demander, deal.id, 0, "accept")).status).toBe(200);
    await t.platform.escrowEvents.catchUp();
    provider.destroy();

    other = await openDeal(t, supplier, demander, reviewer);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it("refuses follow-up, check-ins and ratings before delivery", async () => {
    const state = (await as(manager)("GET", `/v1/deals/${deal.id}/workspace`)).body.state;
    expect(state).toBe("performing");
    const question = await as(demander)("POST", `/v1/deals/${deal.id}/questions`, { kind: "technical", text: "How?" });
    expect(refusal(question)).toEqual([409, "FOLLOW_UP_NOT_OPEN"]);
    const checkIns = await as(manager)("POST", `/v1/deals/${deal.id}/check-ins`, { when: [{ afterMonths: 1 }] });
    expect(refusal(checkIns)).toEqual([409, "FOLLOW_UP_NOT_OPEN"]);
    const rating = await as(demander)("POST", `/v1/deals/${deal.id}/ratings`, { role: "platform", score: 5 });
    expect(refusal(rating)).toEqual([409, "NOT_DELIVERED_YET"]);

    // The manager records that every milestone is settled: the deal is delivered.
    const moved = await as(manager)("POST", `/v1/deals/${deal.id}/moves`, { move: "deliver" });
    expect([moved.status, moved.body.state]).toEqual([200, "delivered"]);
  });

  it("takes a party's question, moves the deal to following_up, and times the first answer", async () => {
    const byBroker = await as(broker)("POST", `/v1/deals/${deal.id}/questions`, { kind: "technical", text: "?" });
    expect(refusal(byBroker)).toEqual([403, "PARTIES_ONLY"]);
    const byOutsider = await as(outsider)("POST", `/v1/deals/${deal.id}/questions`, { kind: "technical", text: "?" });
    expect(refusal(byOutsider)).toEqual([403, "NOT_A_PARTICIPANT"]);
    const badKind = await as(demander)("POST", `/v1/deals/${deal.id}/questions`, { kind: "gossip", text: "?" });
    expect(badKind.status).toBe(400);

    const asked = await sdk(demander).askFollowUpQuestion({
      dealId: deal.id,
      kind: "problem",
      text: "The shredder clogs with wet modules",
    });
    expect(asked).toMatchObject({ kind: "problem", askedBy: demander.id, askedAs: "demander", status: "open" });
    const workspace = (await as(demander)("GET", `/v1/deals/${deal.id}/workspace`)).body;
    expect(workspace.state).toBe("following_up");
    expect(workspace.history.at(-1)).toMatchObject({ move: "begin_follow_up", by: demander.id, as: "demander" });
    const record = await t.platform.tables.evidence.records.get(asked.recordId);
    expect(record!.header).toMatchObject({ kind: "followup.recorded", subject: `deal:${deal.id}` });
    expect(record!.data).toMatchObject({ step: "question.asked", question: asked.id, kind: "problem" });

    const path = `/v1/deals/${deal.id}/questions/${asked.id}`;
    expect(refusal(await as(demander)("POST", `${path}/answers`, { text: "me" }))).toEqual([403, "NOT_AN_ANSWERER"]);
    expect(refusal(await as(broker)("POST", `${path}/answers`, { text: "me" }))).toEqual([403, "NOT_AN_ANSWERER"]);
    const missing = await as(supplier)("POST", `/v1/deals/${deal.id}/questions/fq_${"0".repeat(16)}/answers`, {
      text: "?",
    });
    expect(refusal(missing)).toEqual([404, "QUESTION_NOT_FOUND"]);

    const answered = await sdk(supplier).answerFollowUpQuestion({
      dealId: deal.id,
      questionId: asked.id,
      text: "Dry them 24 h first",
    });
    expect(answered.status).toBe("answered");
    expect(answered.firstAnsweredAt).toBe(answered.answers[0].at);
    expect(answered.responseSeconds).toBe(
      Math.round((Date.parse(answered.answers[0].at) - Date.parse(asked.askedAt)) / 1000),
    );
    const second = await as(manager)("POST", `${path}/answers`, { text: "I will visit on Monday" });
    expect(second.status).toBe(201);
    expect(second.body.answers.map((a: { as: string }) => a.as)).toEqual(["supplier", "manager"]);
    expect(second.body.firstAnsweredAt).toBe(answered.firstAnsweredAt);

    expect(refusal(await as(supplier)("POST", `${path}/close`, {}))).toEqual([403, "ASKER_ONLY"]);
    const closed = await sdk(demander).closeFollowUpQuestion({ dealId: deal.id, questionId: asked.id });
    expect(closed.status).toBe("closed");
    expect(refusal(await as(demander)("POST", `${path}/close`, {}))).toEqual([409, "QUESTION_CLOSED"]);
    expect(refusal(await as(supplier)("POST", `${path}/answers`, { text: "more" }))).toEqual([409, "QUESTION_CLOSED"]);

    const { questions } = await sdk(broker).listFollowUpQuestions({ dealId: deal.id });
    expect(questions.map((q) => q.id)).toEqual([asked.id]);
    expect(followUpQuestionSchema.parse(questions[0])).toEqual(questions[0]);
    expect(refusal(await as(outsider)("GET", `/v1/deals/${deal.id}/questions`))).toEqual([403, "NOT_A_PARTICIPANT"]);
  });

  it("schedules check-ins after delivery (the manager), reminds the party once when due, and records the answer", async () => {
    const byParty = await as(demander)("POST", `/v1/deals/${deal.id}/check-ins`, { when: [{ afterDays: 30 }] });
    expect(refusal(byParty)).toEqual([403, "MANAGER_ONLY"]);
    const past = await as(manager)("POST", `/v1/deals/${deal.id}/check-ins`, {
      when: [{ afterMonths: 1 }, { dueAt: new Date(Date.now() - DAY).toISOString() }],
    });
    expect(refusal(past)).toEqual([422, "CHECK_IN_IN_PAST"]);
    expect((await as(manager)("POST", `/v1/deals/${deal.id}/check-ins`, { when: [] })).status).toBe(400);

    const { checkIns } = await sdk(manager).scheduleCheckIns({
      dealId: deal.id,
      when: [{ afterMonths: 1 }, { afterMonths: 3 }, { afterMonths: 6 }],
    });
    expect(checkIns).toHaveLength(3);
    const deliveredAt = (await as(manager)("GET", `/v1/deals/${deal.id}/workspace`)).body.history.findLast(
      (entry: { to: string }) => entry.to === "delivered",
    ).at;
    expect(checkIns[0]).toMatchObject({ party: "demander", partyId: demander.id, status: "scheduled" });
    expect(checkIns[0].dueAt).toBe(addMonths(new Date(deliveredAt), 1).toISOString());
    // A month after the last day of a month is the next month's last day, not a day of the month after.
    expect(addMonths(new Date("2027-01-31T09:00:00Z"), 1).toISOString()).toBe("2027-02-28T09:00:00.000Z");
    expect(addMonths(new Date("2028-01-31T09:00:00Z"), 1).toISOString()).toBe("2028-02-29T09:00:00.000Z");
    expect(addMonths(new Date("2027-08-31T00:00:00Z"), 6).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    expect(addMonths(new Date("2027-03-15T12:00:00Z"), 12).toISOString()).toBe("2028-03-15T12:00:00.000Z");

    // Nothing is due yet; 32 days on, the first check-in is, and its party is told once.
    expect(await t.platform.dealFollowUp.remindDue()).toBe(0);
    clockAhead = 32 * DAY;
    expect(await t.platform.dealFollowUp.remindDue()).toBe(1);
    expect(await t.platform.dealFollowUp.remindDue()).toBe(0);
    const inbox = await t.platform.notifier.inbox(demander.id);
    const reminders = inbox.filter((n) => n.kind === "followup.checkin.due");
    expect(reminders).toHaveLength(1);
    expect(reminders[0].link).toBe(`/v1/deals/${deal.id}/check-ins/${checkIns[0].id}`);
    // The reminder is kept as sent in the store, so a restart does not send it again.
    const stored = await t.platform.tables.deal.checkIns.get(`${deal.id}\x00${checkIns[0].id}`);
    expect(stored!.remindedAt).toBeDefined();

    const answer = {
      implementation: "in_production" as const,
      outputs: [{ measure: "modules recycled", value: 12_000, unit: "pieces/month" }],
      benefit: { amount: 15_000_000, currency: "CNY" },
      problems: ["wet input clogs the shredder"],
    };
    const path = `/v1/deals/${deal.id}/check-ins/${checkIns[0].id}/answers`;
    expect(refusal(await as(supplier)("POST", path, answer))).toEqual([403, "NOT_YOUR_CHECK_IN"]);
    expect((await as(demander)("POST", path, { implementation: "done" })).status).toBe(400);
    const answered = await sdk(demander).answerCheckIn({
      dealId: deal.id,
      checkInId: checkIns[0].id,
      questionnaire: answer,
    });
    expect(answered).toMatchObject({ status: "answered", answer: { by: demander.id } });
    const record = await t.platform.tables.evidence.records.get(answered.answer!.recordId);
    expect(record!.data).toMatchObject({
      step: "checkin.answered",
      questionnaire: { implementation: "in_production" },
    });
    expect(refusal(await as(demander)("POST", path, answer))).toEqual([409, "CHECK_IN_ANSWERED"]);

    const listed = await sdk(supplier).listCheckIns({ dealId: deal.id });
    for (const checkIn of listed.checkIns) expect(checkInSchema.parse(checkIn)).toEqual(checkIn);
    const unknown = await as(demander)("POST", `/v1/deals/${deal.id}/check-ins/chk_${"0".repeat(16)}/answers`, answer);
    expect(refusal(unknown)).toEqual([404, "CHECK_IN_NOT_FOUND"]);
    expect(listed.checkIns.map((c) => c.status)).toEqual(["answered", "scheduled", "scheduled"]);

    // A restarted sweep (a new service over the same store) sends nothing twice, and the next one when it is due.
    const restarted = () =>
      new DealFollowUp(
        t.platform.tables.deal,
        t.platform.recorder,
        t.platform.dealWorkspaces,
        t.platform.notifier,
        () => new Date(Date.now() + clockAhead),
      );
    expect(await restarted().remindDue()).toBe(0);
    clockAhead = 95 * DAY;
    expect(await restarted().remindDue()).toBe(1);
    expect(await restarted().remindDue()).toBe(0);
    const sent = (await t.platform.notifier.inbox(demander.id)).filter((n) => n.kind === "followup.checkin.due");
    expect(sent.map((n) => n.link)).toEqual(
      [checkIns[1], checkIns[0]].map((c) => `/v1/deals/${deal.id}/check-ins/${c.id}`),
    );
    clockAhead = 0;
  });

  it("takes each party's rating of each participant once, and shows the figures on profiles", async () => {
    const byBroker = await as(broker)("POST", `/v1/deals/${deal.id}/ratings`, { role: "platform", score: 4 });
    expect(refusal(byBroker)).toEqual([403, "PARTIES_ONLY"]);
    const tooHigh = await as(demander)("POST", `/v1/deals/${deal.id}/ratings`, { role: "broker", score: 6 });
    expect(tooHigh.status).toBe(400);

    const given = [
      [demander, "counterparty", 5],
      [demander, "broker", 4],
      [demander, "manager", 5],
      [demander, "evaluator", 3],
      [demander, "platform", 4],
      [supplier, "counterparty", 4],
      [supplier, "broker", 3],
      [supplier, "platform", 5],
    ] as const;
    for (const [rater, role, score] of given) {
      const rating = await sdk(rater).rateDealParticipant({ dealId: deal.id, role, score, comment: `${role} ok` });
      expect(rating).toMatchObject({ raterId: rater.id, role, score });
    }
    const again = await as(demander)("POST", `/v1/deals/${deal.id}/ratings`, { role: "broker", score: 1 });
    expect(refusal(again)).toEqual([409, "ALREADY_RATED"]);
    const evaluators = await as(demander)("POST", `/v1/deals/${deal.id}/ratings`, {
      role: "evaluator",
      userId: outsider.id,
      score: 1,
    });
    expect(refusal(evaluators)).toEqual([422, "NO_SUCH_PARTICIPANT"]);

    const { ratings } = await sdk(manager).listDealRatings({ dealId: deal.id });
    expect(ratings).toHaveLength(given.length);
    for (const rating of ratings) expect(ratingSchema.parse(rating)).toEqual(rating);
    const record = await t.platform.tables.evidence.records.get(ratings[0].recordId);
    expect(record!.header.kind).toBe("improvement.recorded");

    const brokers = await sdk(outsider).getUserRatings({ userId: broker.id });
    expect(ratingSummarySchema.parse(brokers)).toEqual(brokers);
    expect(brokers).toEqual({
      ratedId: broker.id,
      overall: { count: 2, average: 3.5 },
      byRole: { broker: { count: 2, average: 3.5 } },
    });
    expect((await sdk(outsider).getUserRatings({ userId: supplier.id })).overall).toEqual({ count: 1, average: 5 });
    expect((await sdk(outsider).getPlatformRatings()).overall).toEqual({ count: 2, average: 4.5 });
    expect((await sdk(outsider).getUserRatings({ userId: outsider.id })).overall).toEqual({ count: 0, average: null });
  });

  it("files a complaint, lets the operator answer it by its deadline, and the complainant reopen and confirm it", async () => {
    const byOutsider = await as(outsider)("POST", "/v1/complaints", {
      dealId: deal.id,
      against: "platform",
      text: "x",
    });
    expect(refusal(byOutsider)).toEqual([403, "NOT_A_PARTICIPANT"]);
    const ofStranger = await as(demander)("POST", "/v1/complaints", {
      dealId: deal.id,
      against: outsider.id,
      text: "x",
    });
    expect(refusal(ofStranger)).toEqual([422, "NOT_A_PARTICIPANT_OF_THE_DEAL"]);
    const byAuditor = await as(auditor)("POST", "/v1/complaints", {
      dealId: deal.id,
      against: "platform",
      text: "x",
    });
    expect(refusal(byAuditor)).toEqual([403, "PARTICIPANTS_ONLY"]);
    expect(refusal(await as(demander)("GET", `/v1/complaints/cmp_${"0".repeat(16)}`))).toEqual([
      404,
      "COMPLAINT_NOT_FOUND",
    ]);
    const ofSelf = await as(demander)("POST", "/v1/complaints", { dealId: deal.id, against: demander.id, text: "x" });
    expect(refusal(ofSelf)).toEqual([422, "CANNOT_COMPLAIN_OF_YOURSELF"]);

    const filed = await sdk(demander).fileComplaint({
      dealId: deal.id,
      against: broker.id,
      text: "The broker did not pass on our change requests",
    });
    expect(filed).toMatchObject({ status: "open", overdue: false, against: { kind: "user", userId: broker.id } });
    expect(Date.parse(filed.deadline) - Date.parse(filed.filedAt)).toBeGreaterThan(14 * DAY);
    const path = `/v1/complaints/${filed.id}`;
    expect((await as(broker)("GET", path)).status).toBe(200);
    expect(refusal(await as(supplier)("GET", path))).toEqual([403, "NOT_YOUR_COMPLAINT"]);
    expect(refusal(await as(demander)("POST", `${path}/confirm`, {}))).toEqual([409, "COMPLAINT_NOT_ALLOWED"]);
    expect((await as(demander)("POST", `${path}/answer`, { text: "self-answer" })).status).toBe(403);

    // Sixteen days on, unanswered, it is overdue and the operator sees it among the overdue ones.
    clockAhead = 16 * DAY;
    const overdue = await asOperator()("GET", "/v1/complaints?overdue=true");
    expect(overdue.body.complaints.map((c: { id: string }) => c.id)).toEqual([filed.id]);
    expect((await sdk(demander).getComplaint({ complaintId: filed.id })).overdue).toBe(true);
    const answered = await asOperator()("POST", `${path}/answer`, { text: "We spoke to the broker; he will resend" });
    expect(answered.body).toMatchObject({ status: "answered", overdue: false });
    expect(refusal(await as(broker)("POST", `${path}/reopen`, { reason: "no" }))).toEqual([403, "COMPLAINANT_ONLY"]);
    const reopened = await sdk(demander).reopenComplaint({ complaintId: filed.id, reason: "Nothing was resent" });
    expect(reopened.status).toBe("reopened");
    expect(Date.parse(reopened.deadline)).toBeGreaterThan(Date.parse(filed.deadline));
    await asOperator()("POST", `${path}/answer`, { text: "Resent today, see the thread" });
    const confirmed = await sdk(demander).confirmComplaint({ complaintId: filed.id });
    expect(complaintSchema.parse(confirmed)).toEqual(confirmed);
    expect(confirmed.status).toBe("closed");
    expect(confirmed.steps.map((s) => s.step)).toEqual(["filed", "answered", "reopened", "answered", "confirmed"]);
    for (const step of confirmed.steps) {
      expect((await t.platform.tables.evidence.records.get(step.recordId))!.data).toMatchObject({
        step: `complaint.${step.step}`,
      });
    }
    expect(refusal(await as(demander)("POST", `${path}/reopen`, { reason: "again" }))).toEqual([
      409,
      "COMPLAINT_NOT_ALLOWED",
    ]);
    const platformComplaint = await sdk(supplier).fileComplaint({
      dealId: deal.id,
      against: "platform",
      text: "The escrow page is slow",
    });
    expect(platformComplaint.against).toEqual({ kind: "platform" });
    const mine = await sdk(supplier).listComplaints({});
    expect(mine.complaints.map((c) => c.id)).toEqual([platformComplaint.id]);
    expect((await sdk(auditor).listComplaints({ status: "closed" })).complaints.map((c) => c.id)).toEqual([filed.id]);
    clockAhead = 0;
  });

  it("counts the figures per step as a hand recount of the two deals does, in JSON and CSV", async () => {
    // Closing the first deal: matches 2 → deals 2 → contracts 1 → closed 1.
    expect((await as(manager)("POST", `/v1/deals/${deal.id}/moves`, { move: "close" })).status).toBe(200);

    // A closed deal takes no more follow-up; its parties may still rate.
    const late = await as(demander)("POST", `/v1/deals/${deal.id}/questions`, { kind: "training", text: "More?" });
    expect(refusal(late)).toEqual([409, "FOLLOW_UP_NOT_OPEN"]);
    const evaluatorRating = await as(supplier)("POST", `/v1/deals/${deal.id}/ratings`, { role: "evaluator", score: 4 });
    expect(evaluatorRating.status).toBe(201);

    const refused = await as(manager)("GET", "/v1/statistics/deals");
    expect(refused.status).toBe(403);
    const reversed = await as(auditor)("GET", "/v1/statistics/deals?from=2027-01-02&to=2027-01-01");
    expect(refusal(reversed)).toEqual([422, "PERIOD_REVERSED"]);

    // The hand recount: the match's time, the workspace's sign move, the escrow's event records, the answer.
    const { matchId } = (await t.platform.matches.findDeal(deal.id))!;
    const match = await as(demander)("GET", `/v1/matches/${matchId}`);
    expect(match.status, JSON.stringify(match.body)).toBe(200);
    const history = (await as(manager)("GET", `/v1/deals/${deal.id}/workspace`)).body.history;
    const signedAt = history.find((entry: { move: string }) => entry.move === "sign").at;
    const events: Record<string, string> = {};
    for await (const record of t.platform.tables.evidence.records.values()) {
      if (record.header.subject !== `deal:${deal.id}` || record.header.kind !== "escrow.event") continue;
      const data = record.data as { event: string; blockTime: string };
      events[data.event] ??= data.blockTime;
    }
    const question = (await sdk(demander).listFollowUpQuestions({ dealId: deal.id })).questions[0];
    // `+ 0` makes a rounded -0 (a block time a few milliseconds before a record's) plain 0.
    const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000) + 0;

    const statistics = await sdk(auditor).getDealStatistics({});
    expect(dealStatisticsSchema.parse(statistics)).toEqual(statistics);
    expect(statistics.overall).toEqual({
      matches: 2,
      deals: 2,
      contracts: 1,
      closed: 1,
      conversion: { matchToDeal: 1, dealToContract: 0.5, contractToClosed: 1 },
      matchToContract: { count: 1, medianSeconds: seconds(match.body.createdAt, signedAt) },
      contractToFirstDelivery: { count: 1, medianSeconds: seconds(signedAt, events.DeliverySubmitted) },
      inspection: { count: 1, medianSeconds: seconds(events.DeliverySubmitted, events.DeliveryAccepted) },
      followUpResponse: { count: 1, medianSeconds: question.responseSeconds },
    });
    expect(statistics.byBroker.map((g) => [g.key, g.deals, g.contracts])).toEqual(
      [
        [broker.id, 1, 1],
        ["none", 1, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(statistics.byField).toHaveLength(1);
    expect(statistics.byField[0]).toMatchObject({ matches: 2, deals: 2, contracts: 1 });
    expect(statistics.byRegion[0].deals).toBe(2);

    const future = await sdk(auditor).getDealStatistics({ from: inDays(1) });
    expect(future.overall).toMatchObject({ matches: 0, deals: 0, conversion: { matchToDeal: null } });

    const csv = await asOperator()("GET", "/v1/statistics/deals?format=csv");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, all] = (csv.body as string).trim().split("\r\n");
    expect(header.split(",").slice(0, 6)).toEqual(["dimension", "key", "matches", "deals", "contracts", "closed"]);
    expect(all.split(",").slice(0, 9)).toEqual(["all", "all", "2", "2", "1", "1", "1", "0.5", "1"]);
    expect(other.id).toMatch(/^deal_/);
  });
});
