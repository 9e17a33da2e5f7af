import { z } from "zod";
import { MAX_MILESTONES } from "../escrow/actions";
import { USER_ID_PATTERN } from "../patterns";
import {
  CONSULTING_KINDS,
  DEVELOPMENT_KINDS,
  LICENCE_KINDS,
  TECHNOLOGY_RIGHTS,
  type ContractType,
} from "./contractTypes";
import { compareDecimals, decimalSchema, minorUnitsSchema, parseDecimal } from "./decimal";

/**
 * Free text where the law leaves the content to the parties: one string (shown in both languages
 * as written) or a text per language (`{ zh, en }`, at least one; a missing one falls back to the other).
 */
export const contractTextSchema = contractTextOf(20_000);

/** Free text of at most `max` characters per language. */
function contractTextOf(max: number) {
  return z.union([
    z.string().trim().min(1).max(max),
    z
      .strictObject({
        zh: z.string().trim().min(1).max(max).optional(),
        en: z.string().trim().min(1).max(max).optional(),
      })
      .refine((text) => text.zh !== undefined || text.en !== undefined, "give the text in zh, en or both"),
  ]);
}

// Milestone titles come from these (milestonesFromContract), and the escrow terms take titles of
// at most 200 characters: a project name leaves room for "：入门费" / ": upfront fee".
const projectNameSchema = contractTextOf(180);
const instalmentTitleSchema = contractTextOf(200);
export type ContractText = z.infer<typeof contractTextSchema>;

const date = z.iso.date();
/** A moment as the escrow's terms take it (`deliverBy`): ISO 8601 with a time zone. */
const moment = z.iso.datetime({ offset: true });
const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as CNY");
const positiveMinorUnits = minorUnitsSchema.refine((amount) => amount > 0, "must be greater than 0");

const partySchema = z.strictObject({
  name: contractTextSchema,
  /** 统一社会信用代码 of an organisation. */
  creditCode: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, "an 18-character unified social credit code")
    .optional(),
  address: contractTextSchema.optional(),
  representative: contractTextSchema.optional(),
  userId: z.string().regex(USER_ID_PATTERN).optional(),
});

const instalmentSchema = z.strictObject({
  title: instalmentTitleSchema,
  amount: positiveMinorUnits,
  /** What must happen before it is paid (a delivery, an acceptance). */
  condition: contractTextSchema,
  /** The escrow milestone's deadline for the delivery it pays. */
  deliverBy: moment,
});

/**
 * The manner of payment (Civil Code art. 846). Amounts are integer minor units of `currency`.
 * Instalments add up to `total` and become the escrow's milestones, at most {@link MAX_MILESTONES}.
 */
export const paymentSchema = z.discriminatedUnion("mode", [
  z.strictObject({
    mode: z.literal("lumpSum"),
    currency,
    total: positiveMinorUnits,
    condition: contractTextSchema,
    deliverBy: moment,
  }),
  z
    .strictObject({
      mode: z.literal("instalments"),
      currency,
      total: positiveMinorUnits,
      instalments: z.array(instalmentSchema).min(1).max(MAX_MILESTONES),
    })
    .superRefine((payment, ctx) => {
      const sum = payment.instalments.reduce((total, instalment) => total + instalment.amount, 0);
      if (sum !== payment.total) {
        ctx.addIssue({
          code: "custom",
          path: ["instalments"],
          message: `the instalments add up to ${sum} minor units, not the total ${payment.total}`,
        });
      }
    }),
  z
    .strictObject({
      mode: z.literal("royalty"),
      currency,
      /** 入门费, paid first; escrowed as the one milestone. */
      upfrontFee: minorUnitsSchema,
      upfrontDeliverBy: moment.optional(),
      base: z.enum(["sales", "profit"]),
      rate: decimalSchema.refine(
        (rate) => compareDecimals(parseDecimal(rate), parseDecimal("1")) <= 0,
        "must be at most 1 (0.05 is 5%)",
      ),
      reportingPeriod: z.enum(["monthly", "quarterly", "yearly"]),
      /** Days after each period in which the royalty report and payment are due. */
      payWithinDays: z.number().int().min(1).max(365),
      /** The royalties the parties expect over the term, for the registration's contract amount. */
      estimatedRoyalties: minorUnitsSchema.optional(),
    })
    .superRefine((payment, ctx) => {
      if (payment.upfrontFee > 0 && payment.upfrontDeliverBy === undefined) {
        ctx.addIssue({ code: "custom", path: ["upfrontDeliverBy"], message: "an upfront fee needs its deadline" });
      }
    }),
]);
export type Payment = z.infer<typeof paymentSchema>;

const patentSchema = z.strictObject({
  inventionName: contractTextSchema,
  applicant: contractTextSchema,
  holder: contractTextSchema.optional(),
  applicationDate: date,
  applicationNumber: z.string().trim().min(1).max(40),
  patentNumber: z.string().trim().min(1).max(40).optional(),
  grantDate: date.optional(),
  /** The last day the patent (or the application's term) is valid. */
  validUntil: date,
});

const commonFields = {
  projectName: projectNameSchema,
  parties: z.strictObject({
    /** Who provides the technology or the work: 研究开发方, 让与人, 许可人, 受托人. */
    supplier: partySchema,
    /** Who receives and pays: 委托方, 受让人, 被许可人, 委托人. */
    demander: partySchema,
  }),
  /** The technical field, for the contract registration (技术合同认定登记). */
  technicalField: z.string().trim().min(1).max(200),
  subject: z.strictObject({ content: contractTextSchema, scope: contractTextSchema, requirements: contractTextSchema }),
  performance: z
    .strictObject({
      plan: contractTextSchema,
      schedule: contractTextSchema,
      startsOn: date,
      endsOn: date,
      place: contractTextSchema,
      territory: contractTextSchema.optional(),
      manner: contractTextSchema,
    })
    .refine((performance) => performance.endsOn >= performance.startsOn, {
      path: ["endsOn"],
      message: "must not be before startsOn",
    }),
  confidentiality: z.strictObject({
    scope: contractTextSchema,
    periodYears: z.number().int().min(0).max(50),
    obligations: contractTextSchema,
  }),
  risk: z.strictObject({ allocation: contractTextSchema }),
  ownership: z.strictObject({ results: contractTextSchema, benefitSharing: contractTextSchema }),
  acceptance: z.strictObject({ standard: contractTextSchema, method: contractTextSchema }),
  payment: paymentSchema,
  breach: z.strictObject({
    liability: contractTextSchema,
    computation: contractTextSchema,
    /** Late-payment damages per day, as a fraction of the amount overdue (0.0005 is 0.05% a day). */
    latePaymentRatePerDay: decimalSchema.optional(),
  }),
  disputes: z.strictObject({
    resolution: z.enum(["arbitration", "litigation"]),
    /** The arbitration commission, or the court, the parties choose. */
    forum: contractTextSchema,
    negotiationDays: z.number().int().min(0).max(365),
  }),
  interpretation: z.strictObject({
    terms: z.array(z.strictObject({ term: contractTextSchema, meaning: contractTextSchema })).max(100),
  }),
};

/** A transfer or licence conveys a patent, an application, or a technical secret; patents need their particulars. */
function requirePatent(fields: { right: string; patent?: z.infer<typeof patentSchema> }, ctx: z.RefinementCtx) {
  if (fields.right === "technicalSecret") return;
  if (!fields.patent) {
    ctx.addIssue({
      code: "custom",
      path: ["patent"],
      message: "a patent contract names the patent (art. 845 para. 3)",
    });
    return;
  }
  if (fields.right === "patent" && (!fields.patent.patentNumber || !fields.patent.grantDate)) {
    ctx.addIssue({ code: "custom", path: ["patent"], message: "a granted patent has its patentNumber and grantDate" });
  }
}

/**
 * The filled fields of each contract type, for clients to check before they send them and for
 * the renderer: every art. 845 clause, and what the type adds (development kind, patent
 * particulars of art. 845 para. 3, the licence's kind and territory, the consulting kind, the
 * service's problem).
 *
 * @example
 * CONTRACT_FIELD_SCHEMAS.licence.parse(fields);
 */
export const CONTRACT_FIELD_SCHEMAS = {
  development: z.strictObject({
    type: z.literal("development"),
    ...commonFields,
    development: z.strictObject({ kind: z.enum(DEVELOPMENT_KINDS) }),
  }),
  transfer: z
    .strictObject({
      type: z.literal("transfer"),
      ...commonFields,
      right: z.enum(TECHNOLOGY_RIGHTS),
      patent: patentSchema.optional(),
    })
    .superRefine(requirePatent),
  licence: z
    .strictObject({
      type: z.literal("licence"),
      ...commonFields,
      right: z.enum(TECHNOLOGY_RIGHTS).exclude(["patentApplication"]),
      patent: patentSchema.optional(),
      licence: z
        .strictObject({
          kind: z.enum(LICENCE_KINDS),
          territory: contractTextSchema,
          startsOn: date,
          endsOn: date,
          sublicensing: z.boolean(),
        })
        .refine((licence) => licence.endsOn >= licence.startsOn, {
          path: ["endsOn"],
          message: "must not be before startsOn",
        }),
    })
    .superRefine(requirePatent),
  consulting: z.strictObject({
    type: z.literal("consulting"),
    ...commonFields,
    consulting: z.strictObject({ kind: z.enum(CONSULTING_KINDS) }),
  }),
  service: z.strictObject({
    type: z.literal("service"),
    ...commonFields,
    service: z.strictObject({ problem: contractTextSchema }),
  }),
} satisfies Record<ContractType, z.ZodType>;

/**
 * Any contract's fields, told apart by `type`.
 *
 * @example
 * const fields = contractFieldsSchema.parse(body.fields);
 */
export const contractFieldsSchema = z.discriminatedUnion("type", [
  CONTRACT_FIELD_SCHEMAS.development,
  CONTRACT_FIELD_SCHEMAS.transfer,
  CONTRACT_FIELD_SCHEMAS.licence,
  CONTRACT_FIELD_SCHEMAS.consulting,
  CONTRACT_FIELD_SCHEMAS.service,
]);

export type ContractFields = z.output<typeof contractFieldsSchema>;
export type ContractFieldsInput = z.input<typeof contractFieldsSchema>;
export type ContractFieldsOf<T extends ContractType> = z.output<(typeof CONTRACT_FIELD_SCHEMAS)[T]>;
