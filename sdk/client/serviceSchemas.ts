import { z } from "zod";
import { EVALUATION_KINDS } from "../deal/evaluation";

/**
 * Service management (委托与受理, docs/SERVICES.md): the offerings of service
 * institutions, the orders users place with them, and the checks both sides
 * share (a CN patent number, a qualification's certificate number). The gateway
 * answers with these shapes and the SDK's actions return them.
 */

/**
 * What a service institution offers, as the standard lists the value-added services:
 * technology evaluation, patent and other IP services, legal services, consulting,
 * mediation and dispute resolution, research and analysis.
 */
export const SERVICE_KINDS = ["evaluation", "ip", "legal", "consulting", "mediation", "research"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/**
 * The qualifications an offering names, each with a number in a format of its own:
 * `licence` an institution's licence or filing numbered by its unified social credit
 * code (GB 32100, checked as at certification); `patent_agency` the five-digit code of
 * a patent agency (专利代理机构代码); `practitioner` a practitioner's certificate
 * (资产评估师, 专利代理师, 律师执业证): 6–32 capital letters, digits and hyphens.
 */
export const QUALIFICATION_TYPES = ["licence", "patent_agency", "practitioner"] as const;
export type QualificationType = (typeof QUALIFICATION_TYPES)[number];

/** Where an offering stands: waiting for the reviewer's check of its qualifications, orderable, refused, withdrawn. */
export const OFFERING_STATES = ["in_review", "published", "rejected", "withdrawn"] as const;
export type OfferingState = (typeof OFFERING_STATES)[number];

/**
 * Where an order stands (docs/SERVICES.md has the moves): `ordered` (waiting for the
 * institution), `accepted`, `declined`, `delivered`, `changes_requested`, `completed`
 * (the user accepted the delivery).
 */
export const ORDER_STATES = ["ordered", "accepted", "declined", "delivered", "changes_requested", "completed"] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** What a delivery holds: a report, or an IP service's search report, freedom-to-operate opinion, filing receipt. */
export const DELIVERABLE_TYPES = ["report", "search_report", "fto_opinion", "filing_receipt"] as const;
export type DeliverableType = (typeof DELIVERABLE_TYPES)[number];
/** Deliverables only an IP service's order carries. */
export const IP_DELIVERABLE_TYPES: readonly DeliverableType[] = ["search_report", "fto_opinion", "filing_receipt"];

/** A patent's legal status as an IP order states it. */
export const PATENT_STATUSES = ["pending", "granted", "lapsed", "invalidated", "expired"] as const;
export type PatentStatus = (typeof PATENT_STATUSES)[number];

/** An offering's id: `svo_` and 16 hex digits. */
export const OFFERING_ID_PATTERN = /^svo_[0-9a-f]{16}$/;
/** An order's id: `svc_` and 16 hex digits. */
export const SERVICE_ORDER_ID_PATTERN = /^svc_[0-9a-f]{16}$/;

/** Why a patent number was refused. */
export type PatentNumberProblem = { code: "PATENT_NUMBER_FORMAT" | "PATENT_NUMBER_CHECK_DIGIT"; message: string };

const APPLICATION_TYPES = new Set(["1", "2", "3", "8", "9"]);

/** The check character of a CN application number's digits: weights 2…9 then 2…, sum mod 11, 10 written X. */
function applicationCheck(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * ((i % 8) + 2);
  const check = sum % 11;
  return check === 10 ? "X" : String(check);
}

/**
 * Checks a Chinese patent or application number and gives it in one spelling, or
 * says what is wrong. Accepted (spaces ignored, an optional `CN` or `ZL` in front):
 *
 * - an application number since October 2003: 12 digits (year, type 1/2/3/8/9, seven
 *   serial digits), a point, and the check character (weights 2,3,4,5,6,7,8,9,2,3,4,5,
 *   sum mod 11, 10 written X): `201710601862.3`;
 * - an application number before it: 8 digits (two of year, type, five serial), a point,
 *   the check character (weights 2…9): `88201465.X`;
 * - a publication or grant number: `CN`, 7 to 9 digits and a kind code (A, B, C, U, Y, S
 *   and an optional digit): `CN112345678A`, `CN1234567C`.
 *
 * @example
 * cnPatentNumberProblem("ZL 201710601862.3") // undefined
 * cnPatentNumberProblem("201710601862.4")?.code // "PATENT_NUMBER_CHECK_DIGIT"
 */
export function cnPatentNumberProblem(input: string): PatentNumberProblem | undefined {
  const compact = input.replace(/\s+/g, "").toUpperCase();
  if (/^CN\d{7,9}[ABCUYS]\d?$/.test(compact)) return undefined;
  const application = /^(?:CN|ZL)?(\d{12}|\d{8})\.([\dX])$/.exec(compact);
  if (!application) {
    return {
      code: "PATENT_NUMBER_FORMAT",
      message:
        "a CN application number (12 or 8 digits, a point and the check character: 201710601862.3) or a publication number (CN112345678A)",
    };
  }
  const [, digits, check] = application;
  const type = digits.length === 12 ? digits[4] : digits[2];
  if (!APPLICATION_TYPES.has(type)) {
    return {
      code: "PATENT_NUMBER_FORMAT",
      message: `the application type digit is ${type}; it is 1, 2, 3, 8 or 9 (invention, utility model, design, PCT)`,
    };
  }
  const expected = applicationCheck(digits);
  if (expected !== check) {
    return {
      code: "PATENT_NUMBER_CHECK_DIGIT",
      message: `the check character of ${digits} is ${expected}, not ${check}`,
    };
  }
  return undefined;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const localized = (max: number) =>
  z
    .strictObject({ zh: text(max).optional(), en: text(max).optional() })
    .refine((value) => value.zh !== undefined || value.en !== undefined, {
      message: "give the text in Chinese (zh), English (en) or both",
    });

/** A patent's particulars on an IP service's order: number (checked), holder, legal status, legal events. */
export const patentParticularsSchema = z
  .strictObject({
    number: z
      .string()
      .trim()
      .max(40)
      .superRefine((value, ctx) => {
        const problem = cnPatentNumberProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem.message, params: { code: problem.code } });
      })
      .meta({ description: "A CN application number with its check character, or a publication number" }),
    holder: text(200),
    status: z.enum(PATENT_STATUSES),
    legalEvents: z
      .array(z.strictObject({ date: z.iso.date(), event: text(500) }))
      .max(100)
      .default([])
      .meta({ description: "Legal events (filing, publication, grant, transfer, fee lapse, …) with their dates" }),
  })
  .meta({ id: "PatentParticulars" });
export type PatentParticulars = z.infer<typeof patentParticularsSchema>;

/** A qualification as the institution states it; the reviewer checks each one. */
export const qualificationInputSchema = z.strictObject({
  type: z.enum(QUALIFICATION_TYPES),
  number: z.string().trim().min(1).max(64),
  issuer: text(200).meta({ description: "Who issued it (the ministry, the CNIPA, the justice bureau, …)" }),
  expiresOn: z.iso.date().meta({ description: "The last day it is valid" }),
});
export type QualificationInput = z.infer<typeof qualificationInputSchema>;

/** An offering as its institution submits it. */
export const offeringInputSchema = z
  .strictObject({
    kind: z.enum(SERVICE_KINDS),
    evaluationKinds: z
      .array(z.enum(EVALUATION_KINDS))
      .min(1)
      .max(EVALUATION_KINDS.length)
      .optional()
      .meta({ description: "For an evaluation: which of process, benefit, value, patent, financing it evaluates" }),
    title: localized(200),
    description: localized(4000),
    qualifications: z.array(qualificationInputSchema).min(1).max(10),
    price: z
      .strictObject({
        amount: z.int().min(0).max(Number.MAX_SAFE_INTEGER).meta({ description: "Exact integer minor units (fen)" }),
        currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as CNY"),
      })
      .optional(),
    priceBasis: text(1000)
      .optional()
      .meta({ description: "How the price is set when it is not fixed: a percentage of the value, by the hour, …" }),
    turnaroundDays: z.int().min(1).max(365),
  })
  .meta({ id: "ServiceOfferingInput" });
export type OfferingInput = z.input<typeof offeringInputSchema>;

const storedFile = z.object({ name: z.string(), mediaType: z.string(), size: z.int(), sha256: z.string() });
const step = { at: z.string(), recordId: z.string() };

/**
 * A service offering with its qualifications and their review.
 *
 * @example
 * const offering = serviceOfferingSchema.parse(answer);
 */
export const serviceOfferingSchema = z
  .object({
    id: z.string(),
    institutionId: z.string(),
    kind: z.enum(SERVICE_KINDS),
    evaluationKinds: z.array(z.enum(EVALUATION_KINDS)).optional(),
    title: z.object({ zh: z.string().optional(), en: z.string().optional() }),
    description: z.object({ zh: z.string().optional(), en: z.string().optional() }),
    qualifications: z.array(
      z.object({
        type: z.enum(QUALIFICATION_TYPES),
        number: z.string(),
        issuer: z.string(),
        expiresOn: z.string(),
        review: z
          .object({ approved: z.boolean(), reason: z.string().optional(), by: z.string(), ...step })
          .optional()
          .meta({ description: "The reviewer's check of this qualification" }),
      }),
    ),
    price: z.object({ amount: z.int(), currency: z.string() }).optional(),
    priceBasis: z.string().optional(),
    turnaroundDays: z.int(),
    state: z.enum(OFFERING_STATES),
    withdrawal: z.object({ reason: z.string().optional(), ...step }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    recordId: z.string().meta({ description: "The record of its submission" }),
  })
  .meta({ id: "ServiceOffering" });
export type ServiceOfferingView = z.infer<typeof serviceOfferingSchema>;

/**
 * A service order with every step taken on it.
 *
 * @example
 * const order = serviceOrderSchema.parse(answer);
 */
export const serviceOrderSchema = z
  .object({
    id: z.string(),
    offeringId: z.string(),
    institutionId: z.string(),
    kind: z.enum(SERVICE_KINDS),
    evaluationKind: z.enum(EVALUATION_KINDS).optional(),
    orderedBy: z.string(),
    dealId: z.string().optional().meta({ description: "The deal it serves, when ordered for one" }),
    brief: z.string(),
    patent: patentParticularsSchema.optional(),
    price: z.object({ amount: z.int(), currency: z.string() }).optional(),
    priceBasis: z.string().optional(),
    turnaroundDays: z.int().meta({ description: "The offering's turnaround: days from acceptance to delivery" }),
    state: z.enum(ORDER_STATES),
    late: z.boolean().meta({ description: "Past its acceptance or delivery deadline in a state that awaits it" }),
    acceptBy: z.string().meta({ description: "The institution answers by then" }),
    deliverBy: z.string().optional().meta({ description: "Set on acceptance: acceptance plus the turnaround" }),
    decision: z
      .object({ accepted: z.boolean(), reason: z.string().optional(), by: z.string(), ...step })
      .optional()
      .meta({ description: "The institution's acceptance or refusal" }),
    engagementRecordId: z
      .string()
      .optional()
      .meta({ description: "For an evaluation ordered for a deal: the record engaging the institution on the deal" }),
    deliveries: z.array(
      z.object({
        n: z.int(),
        summary: z.string().optional(),
        deliverables: z.array(z.object({ type: z.enum(DELIVERABLE_TYPES), files: z.array(storedFile) })),
        evaluationId: z.string().optional().meta({ description: "The deal's evaluation report that delivered it" }),
        by: z.string(),
        ...step,
      }),
    ),
    reviews: z.array(z.object({ accepted: z.boolean(), comment: z.string().optional(), ...step })),
    rating: z.object({ score: z.int(), comment: z.string().optional(), ...step }).optional(),
    reassignments: z.array(
      z.object({
        fromInstitutionId: z.string(),
        fromOfferingId: z.string(),
        toInstitutionId: z.string(),
        toOfferingId: z.string(),
        reason: z.string(),
        by: z.string(),
        ...step,
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    deliveredAt: z.string().optional().meta({ description: "The latest delivery" }),
    completedAt: z.string().optional(),
    recordId: z.string().meta({ description: "The record of the order" }),
  })
  .meta({ id: "ServiceOrder" });
export type ServiceOrderView = z.infer<typeof serviceOrderSchema>;
