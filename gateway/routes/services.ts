import { z } from "zod";
import {
  DEAL_ID_PATTERN,
  DELIVERABLE_TYPES,
  EVALUATION_KINDS,
  OFFERING_ID_PATTERN,
  OFFERING_STATES,
  ORDER_STATES,
  SERVICE_KINDS,
  SERVICE_ORDER_ID_PATTERN,
  USER_ID_PATTERN,
  evaluationReportSchema,
  fileInputSchema,
  offeringInputSchema,
  patentParticularsSchema,
  serviceOfferingSchema,
  serviceOrderSchema,
} from "tech-transfer-ledger/sdk";
import { OVERSEERS, STAFF_READERS } from "../auth/policy";
import { defineRoute, type Route } from "../http/route";
import type { ServiceOfferings } from "../services/offerings";
import type { ServiceOrders } from "../services/orders";

const offeringId = z.string().regex(OFFERING_ID_PATTERN, "an offering id (svo_…)");
const orderId = z.string().regex(SERVICE_ORDER_ID_PATTERN, "an order id (svc_…)");
const offeringParams = z.object({ id: offeringId });
const orderParams = z.object({ id: orderId });
const text = (max: number) => z.string().trim().min(1).max(max);
const toFile = (file: z.infer<typeof fileInputSchema>) => ({
  name: file.name,
  mediaType: file.mediaType,
  bytes: Buffer.from(file.contentBase64, "base64"),
});
/** A delivery carries reports: sixteen files of a few megabytes each, base64-encoded. */
const FILES_BODY_LIMIT = 16 * 1024 * 1024;

const signedIn = { roles: [] as const, anyUser: true };
/** Offerings are a catalogue: every signed-in user reads the published ones, staff all of them. */
const offeringReaders = { roles: STAFF_READERS, anyUser: true };
/** Orders: their orderer and institution, and the overseers. */
const orderReaders = { roles: OVERSEERS, anyUser: true };
/** The operator's service credential, or an admin, reassigns a stuck order. */
const operators = { roles: ["operator", "admin"] as const };

const refusals = {
  400: { description: "Invalid input (a certificate or patent number in the wrong format: the code says which)" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not the one who may take this step (the code says why), or not certified" },
  404: { description: "No such offering, qualification or order" },
  409: { description: "Not possible where the offering or order stands (the code names it)" },
  422: { description: "Against a rule of the service: not orderable, wrong kind, a reason missing, …" },
};
const yes = z.enum(["true", "false"]).transform((value) => value === "true");

/** Service management (委托与受理): offerings and orders, docs/SERVICES.md. */
export function serviceRoutes(deps: { serviceOfferings: ServiceOfferings; serviceOrders: ServiceOrders }): Route[] {
  const { serviceOfferings: offerings, serviceOrders: orders } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/service-offerings",
      summary:
        "Publish a service offering (a certified service institution); it waits for the review of its qualifications",
      description:
        "Certificate numbers are checked by their type's format (`QUALIFICATION_NUMBER_FORMAT`, all at once in " +
        "`error.details`); an expired qualification is refused (`QUALIFICATION_EXPIRED`).",
      tags: ["services"],
      access: signedIn,
      body: offeringInputSchema,
      responses: { 201: { description: "The offering, in review", schema: serviceOfferingSchema }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await offerings.submit(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/service-offerings",
      summary: "Search the offerings: published ones, your own, and every one for staff; newest first",
      tags: ["services"],
      access: offeringReaders,
      query: z.strictObject({
        kind: z.enum(SERVICE_KINDS).optional(),
        institutionId: z.string().regex(USER_ID_PATTERN, "a user id (usr_…)").optional(),
        state: z.enum(OFFERING_STATES).optional(),
        q: z.string().trim().max(200).optional().meta({ description: "Words in the title or description" }),
      }),
      responses: {
        200: { description: "Offerings", schema: z.object({ offerings: z.array(serviceOfferingSchema) }) },
        ...refusals,
      },
      async handler({ query, principal }) {
        return { status: 200, body: { offerings: await offerings.list(principal!, query) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/service-offerings/:id",
      summary: "One offering (published: anyone signed in; otherwise its institution and staff)",
      tags: ["services"],
      access: offeringReaders,
      params: offeringParams,
      responses: { 200: { description: "The offering", schema: serviceOfferingSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await offerings.get(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-offerings/:id/qualifications/:index/review",
      summary:
        "Check one qualification of an offering in review (a reviewer); all passed publishes it, one refused refuses it",
      tags: ["services"],
      access: { roles: ["reviewer"] },
      params: z.object({ id: offeringId, index: z.coerce.number().int().min(0).max(9) }),
      body: z.strictObject({ approved: z.boolean(), reason: text(2000).optional() }),
      responses: { 200: { description: "The offering", schema: serviceOfferingSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await offerings.reviewQualification(principal!, params.id, params.index, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-offerings/:id/withdrawal",
      summary: "Withdraw an offering (its institution): no new orders; orders placed keep their course",
      tags: ["services"],
      access: signedIn,
      params: offeringParams,
      body: z.strictObject({ reason: text(2000).optional() }),
      responses: { 200: { description: "The withdrawn offering", schema: serviceOfferingSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await offerings.withdraw(principal!, params.id, body.reason) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-orders",
      summary: "Order a published offering, for yourself or for a deal you take part in (a certified user)",
      description:
        "An evaluation ordered for a deal engages the institution as the deal's evaluator (6.6), through the " +
        "workspace: the orderer must be a party of the deal and the institution hold the evaluator role.",
      tags: ["services"],
      access: signedIn,
      body: z.strictObject({
        offeringId,
        brief: text(4000).meta({ description: "What is asked of the institution" }),
        dealId: z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)").optional(),
        evaluationKind: z.enum(EVALUATION_KINDS).optional(),
        patent: patentParticularsSchema.optional(),
        acceptBy: z.iso.datetime({ offset: true }).optional().meta({
          description: "When the institution must have answered by; SERVICE_ACCEPT_HOURS from now when omitted",
        }),
      }),
      responses: { 201: { description: "The order", schema: serviceOrderSchema }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await orders.place(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/service-orders",
      summary: "Orders: every one for overseers (with `late=true`, the late ones), else those you placed or serve",
      tags: ["services"],
      access: orderReaders,
      query: z.strictObject({
        state: z.enum(ORDER_STATES).optional(),
        kind: z.enum(SERVICE_KINDS).optional(),
        late: yes.optional(),
        institutionId: z.string().regex(USER_ID_PATTERN, "a user id (usr_…)").optional(),
        dealId: z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)").optional(),
      }),
      responses: {
        200: { description: "Orders", schema: z.object({ orders: z.array(serviceOrderSchema) }) },
        ...refusals,
      },
      async handler({ query, principal }) {
        return { status: 200, body: { orders: await orders.list(principal!, query) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/service-orders/:id",
      summary: "One order with its steps (its orderer, its institution, overseers)",
      tags: ["services"],
      access: orderReaders,
      params: orderParams,
      responses: { 200: { description: "The order", schema: serviceOrderSchema }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await orders.get(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-orders/:id/decision",
      summary: "Accept or decline an order (its institution); declining needs a reason",
      tags: ["services"],
      access: signedIn,
      params: orderParams,
      body: z.strictObject({ accepted: z.boolean(), reason: text(2000).optional() }),
      responses: { 200: { description: "The order", schema: serviceOrderSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await orders.decide(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-orders/:id/deliveries",
      summary: "Deliver an accepted order, or deliver again after changes were asked for (its institution)",
      description:
        "Deliverables with their files (hashed, stored, their digests in the record); an evaluation ordered for a " +
        "deal is delivered by its evaluation report instead (`evaluation`), which is submitted to the deal.",
      tags: ["services"],
      access: signedIn,
      params: orderParams,
      bodyLimit: FILES_BODY_LIMIT,
      idempotent: true,
      body: z.strictObject({
        summary: text(4000).optional(),
        deliverables: z
          .array(z.strictObject({ type: z.enum(DELIVERABLE_TYPES), files: z.array(fileInputSchema).min(1).max(8) }))
          .max(8)
          .optional(),
        evaluation: z
          .strictObject({ report: evaluationReportSchema, files: z.array(fileInputSchema).max(16).optional() })
          .optional(),
      }),
      responses: { 201: { description: "The delivered order", schema: serviceOrderSchema }, ...refusals },
      async handler({ params, body, principal }) {
        const order = await orders.deliver(principal!, params.id, {
          summary: body.summary,
          deliverables: body.deliverables?.map((d) => ({ type: d.type, files: d.files.map(toFile) })),
          evaluation: body.evaluation && {
            report: body.evaluation.report,
            files: (body.evaluation.files ?? []).map(toFile),
          },
        });
        return { status: 201, body: order };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-orders/:id/review",
      summary: "Accept the delivery (the order is completed) or ask for changes with a comment (the orderer)",
      tags: ["services"],
      access: signedIn,
      params: orderParams,
      body: z.strictObject({ accepted: z.boolean(), comment: text(4000).optional() }),
      responses: { 200: { description: "The order", schema: serviceOrderSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await orders.review(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-orders/:id/rating",
      summary: "Rate a completed order once, 1 to 5 with a comment (the orderer)",
      tags: ["services"],
      access: signedIn,
      params: orderParams,
      body: z.strictObject({ score: z.int().min(1).max(5), comment: text(2000).optional() }),
      responses: { 201: { description: "The rated order", schema: serviceOrderSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await orders.rate(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/service-orders/:id/reassignment",
      summary: "Reassign a declined or late order to another institution's matching offering, with a reason (operator)",
      tags: ["services"],
      access: operators,
      params: orderParams,
      body: z.strictObject({ offeringId, reason: text(2000) }),
      responses: { 200: { description: "The order, placed anew", schema: serviceOrderSchema }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 200, body: await orders.reassign(principal!, params.id, body) };
      },
    }),
  ];
}
