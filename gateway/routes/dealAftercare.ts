import { z } from "zod";
import {
  CHECK_IN_ID_PATTERN,
  COMPLAINT_ID_PATTERN,
  COMPLAINT_STATUSES,
  DEAL_ID_PATTERN,
  FOLLOW_UP_QUESTION_KINDS,
  QUESTION_ID_PATTERN,
  RATED_ROLES,
  USER_ID_PATTERN,
  checkInQuestionnaireSchema,
  checkInSchema,
  complaintSchema,
  followUpQuestionSchema,
  ratingSchema,
  ratingSummarySchema,
} from "tech-transfer-ledger/sdk";
import { OVERSEERS, readAccess } from "../auth/policy";
import type { DealComplaints } from "../deal/complaints";
import type { DealFollowUp } from "../deal/followUp";
import { PLATFORM, type DealRatings } from "../deal/ratings";
import { defineRoute, type Route } from "../http/route";

const dealId = z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)");
const userId = z.string().regex(USER_ID_PATTERN, "a user id (usr_…)");
const dealParams = z.object({ id: dealId });
const questionParams = z.object({
  id: dealId,
  questionId: z.string().regex(QUESTION_ID_PATTERN, "a question id (fq_…)"),
});
const checkInParams = z.object({
  id: dealId,
  checkInId: z.string().regex(CHECK_IN_ID_PATTERN, "a check-in id (chk_…)"),
});
const complaintParams = z.object({
  complaintId: z.string().regex(COMPLAINT_ID_PATTERN, "a complaint id (cmp_…)"),
});
const text = (max = 4000) => z.string().trim().min(1).max(max);
const signedIn = { roles: [] as const, anyUser: true };
/** Rating figures are shown on profiles: to every signed-in user, and to the staff's service credentials. */
const ratingReaders = { roles: OVERSEERS, anyUser: true };
/** Complaints are answered by the operator's service credential or an admin. */
const operators = { roles: ["operator", "admin"] as const };

const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a participant of the deal, or not the one who may do this (the code says why)" },
  404: { description: "No such question, check-in or complaint" },
  409: { description: "Not possible where the deal (or the question, check-in, complaint) stands" },
  422: { description: "The deal has no such participant, a date in the past, rating or complaining of yourself" },
};

const when = z
  .union([
    z.strictObject({ afterMonths: z.int().min(1).max(120) }),
    z.strictObject({ afterDays: z.int().min(1).max(3650) }),
    z.strictObject({ dueAt: z.iso.datetime({ offset: true }) }),
  ])
  .meta({ description: "Months or days after the delivery (the deal's `deliver` move), or a date to come" });

/** Follow-up (6.9), ratings and complaints (6.11): docs/AFTERCARE.md. */
export function dealAftercareRoutes(deps: {
  dealFollowUp: DealFollowUp;
  dealRatings: DealRatings;
  dealComplaints: DealComplaints;
}): Route[] {
  const { dealFollowUp: followUp, dealRatings: ratings, dealComplaints: complaints } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/questions",
      summary: "Ask a follow-up question in a delivered deal: technical, training or a problem in use (a party, 6.9)",
      description:
        "Answered by the counter-party or the deal's manager. The first question (or check-in) of a `delivered` " +
        "deal moves it to `following_up`.",
      tags: ["aftercare"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({ kind: z.enum(FOLLOW_UP_QUESTION_KINDS), text: text() }),
      responses: { 201: { description: "The question", schema: followUpQuestionSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await followUp.ask(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/questions",
      summary: "The deal's follow-up questions with their answers and response times, oldest first",
      tags: ["aftercare"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Questions", schema: z.object({ questions: z.array(followUpQuestionSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { questions: await followUp.questions(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/questions/:questionId/answers",
      summary: "Answer a follow-up question (the asker's counter-party or the deal's manager)",
      tags: ["aftercare"],
      access: signedIn,
      params: questionParams,
      body: z.strictObject({ text: text() }),
      responses: { 201: { description: "The question with the answer", schema: followUpQuestionSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await followUp.answer(principal!, params.id, params.questionId, body.text) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/questions/:questionId/close",
      summary: "Close a follow-up question (its asker): it takes no more answers",
      tags: ["aftercare"],
      access: signedIn,
      params: questionParams,
      body: z.strictObject({}),
      responses: { 200: { description: "The closed question", schema: followUpQuestionSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await followUp.close(principal!, params.id, params.questionId) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/check-ins",
      summary: "Schedule check-ins with the follow-up questionnaire after delivery (the deal's manager, 6.9)",
      description:
        "Each is due months or days after the delivery, or on a date to come; the platform tells the party when " +
        "one falls due. The first check-in (or question) of a `delivered` deal moves it to `following_up`.",
      tags: ["aftercare"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({
        party: z.enum(["supplier", "demander"]).default("demander"),
        when: z.array(when).min(1).max(12),
      }),
      responses: {
        201: { description: "The check-ins", schema: z.object({ checkIns: z.array(checkInSchema) }) },
        ...refusals,
      },
      async handler({ params, body, principal }) {
        return { status: 201, body: { checkIns: await followUp.schedule(principal!, params.id, body) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/check-ins",
      summary: "The deal's check-ins, soonest due first, with their answers",
      tags: ["aftercare"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Check-ins", schema: z.object({ checkIns: z.array(checkInSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { checkIns: await followUp.checkIns(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/check-ins/:checkInId/answers",
      summary: "Answer a check-in's questionnaire (the party it asks; once)",
      tags: ["aftercare"],
      access: signedIn,
      params: checkInParams,
      body: checkInQuestionnaireSchema,
      responses: { 200: { description: "The answered check-in", schema: checkInSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await followUp.answerCheckIn(principal!, params.id, params.checkInId, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/ratings",
      summary: "Rate the counter-party, the broker, the manager, an evaluator or the platform, 1–5 (a party, 6.11)",
      description:
        "Once the deal is delivered (and until it is archived); each party rates each of them once per deal.",
      tags: ["aftercare"],
      access: signedIn,
      params: dealParams,
      body: z.strictObject({
        role: z.enum(RATED_ROLES),
        userId: userId.optional().meta({ description: "Which evaluator, when the deal engaged several" }),
        score: z.int().min(1).max(5),
        comment: text(2000).optional(),
      }),
      responses: { 201: { description: "The rating", schema: ratingSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await ratings.rate(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/ratings",
      summary: "The ratings given in the deal",
      tags: ["aftercare"],
      access: readAccess.deals,
      params: dealParams,
      responses: {
        200: { description: "Ratings", schema: z.object({ ratings: z.array(ratingSchema) }) },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: { ratings: await ratings.list(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/users/:id/ratings",
      summary: "A user's ratings on their profile: mean score and count, overall and per capacity rated in",
      tags: ["aftercare"],
      access: ratingReaders,
      params: z.object({ id: userId }),
      responses: { 200: { description: "The figures", schema: ratingSummarySchema }, ...refusals },
      async handler({ params }) {
        return { status: 200, body: await ratings.summary(params.id) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/platform/ratings",
      summary: "The platform's ratings by the parties of its deals: mean score and count",
      tags: ["aftercare"],
      access: ratingReaders,
      responses: { 200: { description: "The figures", schema: ratingSummarySchema }, ...refusals },
      async handler() {
        return { status: 200, body: await ratings.summary(PLATFORM) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/complaints",
      summary: "File a complaint against a participant of a deal or the platform (a participant of the deal, 6.11)",
      description: "The operator answers it by the deadline (`COMPLAINT_ANSWER_DAYS` after filing or reopening).",
      tags: ["aftercare"],
      access: signedIn,
      body: z.strictObject({
        dealId,
        against: z
          .union([z.literal("platform"), userId])
          .meta({ description: "A participant's user id, or `platform`" }),
        text: text(),
      }),
      responses: { 201: { description: "The complaint", schema: complaintSchema }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await complaints.file(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/complaints",
      summary:
        "Complaints: all of them for overseers (operator, admin, auditor), else those you filed or that name you",
      tags: ["aftercare"],
      access: { roles: OVERSEERS, anyUser: true },
      query: z.object({
        status: z.enum(COMPLAINT_STATUSES).optional(),
        overdue: z.enum(["true", "false"]).optional().meta({ description: "`true`: only those past their deadline" }),
      }),
      responses: {
        200: { description: "Complaints, newest first", schema: z.object({ complaints: z.array(complaintSchema) }) },
        ...refusals,
      },
      async handler({ query, principal }) {
        const overdue = query.overdue === undefined ? undefined : query.overdue === "true";
        return {
          status: 200,
          body: { complaints: await complaints.list(principal!, { status: query.status, overdue }) },
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/complaints/:complaintId",
      summary: "One complaint with its steps",
      tags: ["aftercare"],
      access: { roles: OVERSEERS, anyUser: true },
      params: complaintParams,
      responses: { 200: { description: "The complaint", schema: complaintSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await complaints.get(principal!, params.complaintId) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/complaints/:complaintId/answer",
      summary: "Answer an open or reopened complaint (the operator)",
      tags: ["aftercare"],
      access: operators,
      params: complaintParams,
      body: z.strictObject({ text: text() }),
      responses: { 200: { description: "The answered complaint", schema: complaintSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await complaints.answer(principal!, params.complaintId, body.text) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/complaints/:complaintId/confirm",
      summary: "Accept the operator's answer: the complaint is closed (the complainant)",
      tags: ["aftercare"],
      access: signedIn,
      params: complaintParams,
      body: z.strictObject({}),
      responses: { 200: { description: "The closed complaint", schema: complaintSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await complaints.confirm(principal!, params.complaintId) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/complaints/:complaintId/reopen",
      summary: "Reopen an answered complaint, saying why: a new deadline runs (the complainant)",
      tags: ["aftercare"],
      access: signedIn,
      params: complaintParams,
      body: z.strictObject({ reason: text() }),
      responses: { 200: { description: "The reopened complaint", schema: complaintSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await complaints.reopen(principal!, params.complaintId, body.reason) };
      },
    }),
  ];
}
