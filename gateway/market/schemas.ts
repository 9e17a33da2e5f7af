import { z } from "zod";
import { FILE_NAME_PATTERN, LANGUAGE_TAG_PATTERN, BYTES32_PATTERN, FIELD_NAME_PATTERN } from "tech-transfer-ledger/sdk";
import { COOPERATION_MODES, IP_KINDS, IP_STATUSES, RESULT_KINDS, type Price } from "./types";

/** ISO 4217 codes in current use, as the runtime's ICU knows them. */
export const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** IPC symbol: section, class, subclass, main group / subgroup: `H01M 10/54`. */
export const IPC_PATTERN = /^[A-H]\d{2}[A-Z] ?\d{1,4}\/\d{2,6}$/;

const text = (max: number) => z.string().trim().min(1).max(max);
const localized = (max: number) =>
  z
    .record(z.string().regex(LANGUAGE_TAG_PATTERN, "a language tag such as zh, en, th"), text(max))
    .refine((value) => Object.keys(value).length >= 1 && Object.keys(value).length <= 6, "one to six languages");
export const minorUnits = z
  .int("an integer number of minor units (fen, cents): no fractions")
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);
export const currency = z
  .string()
  .refine((code) => CURRENCIES.has(code), "an ISO 4217 currency code in current use, such as CNY, USD, THB");
const range = z
  .strictObject({ min: minorUnits, max: minorUnits, currency })
  .refine((r) => r.min <= r.max, { message: "min must not be above max", path: ["min"] });
const ipc = z
  .string()
  .transform((code) => code.trim().toUpperCase().replace(/\s+/g, " "))
  .refine((code) => IPC_PATTERN.test(code), "an IPC symbol such as H01M 10/54");
const region = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, "an ISO 3166 code such as CN-53 or TH");
const date = z.iso.date();

const common = {
  language: z.string().regex(LANGUAGE_TAG_PATTERN, "the source language tag"),
  title: localized(200),
  summary: localized(4000),
  translated: z.array(z.string().regex(LANGUAGE_TAG_PATTERN)).max(6).default([]),
  field: z
    .string()
    .regex(/^[a-z]+(\.[a-z0-9-]+)*$/, "a field code such as energy.pv")
    .meta({ description: "A field code from `GET /v1/vocabularies` (`fields`): energy.pv, env.recycling, …" }),
  industry: text(100).optional(),
  ipc: z.array(ipc).min(1).max(20),
  keywords: z.array(text(60)).min(1).max(30),
  modes: z.array(z.enum(COOPERATION_MODES)).min(1),
  region,
  attachments: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(255).regex(FILE_NAME_PATTERN, "a file name without slashes"),
        sha256: z.string().regex(BYTES32_PATTERN, "a SHA-256 digest"),
      }),
    )
    .max(20)
    .default([]),
  details: z.record(z.string().regex(FIELD_NAME_PATTERN), text(20_000)).optional(),
};

const ipRecord = z.strictObject({
  number: text(60),
  kind: z.enum(IP_KINDS),
  status: z.enum(IP_STATUSES),
  owner: text(200),
  filingDate: date.optional(),
  grantDate: date.optional(),
  expiryDate: date.optional(),
  encumbrances: text(1000).optional(),
});

export const supplySchema = z
  .strictObject({
    side: z.literal("supply"),
    ...common,
    problemSolved: localized(4000).optional(),
    advantages: localized(4000).optional(),
    applications: localized(4000).optional(),
    trl: z.int().min(1, "TRL is 1 to 9").max(9, "TRL is 1 to 9"),
    resultKind: z.enum(RESULT_KINDS),
    ip: z.array(ipRecord).max(50).default([]),
    // One object with the three forms' fields, so a wrong amount is reported as
    // such rather than as "matches none of the forms".
    price: z
      .strictObject({
        amount: minorUnits.optional(),
        min: minorUnits.optional(),
        max: minorUnits.optional(),
        negotiable: z.literal(true).optional(),
        currency,
      })
      .superRefine((price, context) => {
        const forms = [
          price.amount !== undefined,
          price.min !== undefined || price.max !== undefined,
          price.negotiable === true,
        ];
        if (forms.filter(Boolean).length !== 1) {
          context.addIssue({ code: "custom", message: "give exactly one of: amount, min and max, or negotiable" });
        } else if (forms[1] && (price.min === undefined || price.max === undefined)) {
          context.addIssue({ code: "custom", message: "a price range needs both min and max" });
        } else if (forms[1] && price.min! > price.max!) {
          context.addIssue({ code: "custom", message: "min must not be above max", path: ["min"] });
        }
      })
      .transform((price): Price =>
        price.amount !== undefined
          ? { amount: price.amount, currency: price.currency }
          : price.negotiable
            ? { negotiable: true, currency: price.currency }
            : { min: price.min!, max: price.max!, currency: price.currency },
      ),
  })
  .meta({ id: "SupplyListing", description: "A technology on offer (clause 6.3.2)" });

export const demandSchema = z
  .strictObject({
    side: z.literal("demand"),
    ...common,
    problem: localized(4000),
    targets: z.array(text(300)).min(1).max(20),
    minTrl: z.int().min(1, "TRL is 1 to 9").max(9, "TRL is 1 to 9"),
    budget: range,
    deadline: date,
  })
  .meta({ id: "DemandListing", description: "A technology need (clause 6.3.2)" });

export const listingSchema = z.discriminatedUnion("side", [supplySchema, demandSchema]);

/** Checks that hold across fields and that zod cannot say alone. */
export function crossFieldProblems(content: z.infer<typeof listingSchema>): string | undefined {
  if (!content.title[content.language] || !content.summary[content.language]) {
    return `title and summary must be given in the source language (${content.language})`;
  }
  for (const language of content.translated) {
    if (language === content.language) return "the source language cannot also be marked as translated";
    if (!content.title[language]) return `the translation into ${language} has no title`;
  }
  return undefined;
}
