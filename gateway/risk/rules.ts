import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * The risk rules the operator configures, in `DATA_DIR/risk-rules.json`
 * (docs/RISK.md gives the format). The file is checked at start, where a bad
 * one stops the gateway, and on every reload, where a bad one is refused and
 * the rules in force stay.
 */

/** Amounts in minor units (fen for CNY) by ISO 4217 currency; a currency not listed is not checked. */
const amountsByCurrency = z
  .record(z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 currency code (CNY, USD, …)"), z.int().nonnegative())
  .meta({ description: "Minor units by currency" });

const rule = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ enabled: z.boolean(), ...shape });

export const SHILL_IDENTIFIERS = ["device", "signingKey", "bankAccount"] as const;
export type ShillIdentifier = (typeof SHILL_IDENTIFIERS)[number];

export const riskRulesSchema = z.strictObject({
  version: z.literal(1),
  rules: z.strictObject({
    largeDeal: rule({ amountAbove: amountsByCurrency }),
    newAccount: rule({
      certifiedWithinDays: z.number().positive(),
      amountAbove: amountsByCurrency,
    }),
    changedBeforePayment: rule({ withinHours: z.number().positive() }),
    failedSignIns: rule({ attempts: z.int().min(2), withinMinutes: z.number().positive() }),
    shillBidding: rule({
      action: z.enum(["refuse", "flag"]),
      identifiers: z.array(z.enum(SHILL_IDENTIFIERS)).min(1),
    }),
    nearDuplicateListing: rule({ similarityAtLeast: z.number().min(0.5).max(1) }),
    blacklist: rule({}),
  }),
});

export type RiskRules = z.infer<typeof riskRulesSchema>;
export type RiskRuleName = keyof RiskRules["rules"];
export const RISK_RULE_NAMES = Object.keys(riskRulesSchema.shape.rules.shape) as [RiskRuleName, ...RiskRuleName[]];

/** What a first start writes: every rule on, with thresholds for a regional platform trading in CNY. */
export const DEFAULT_RISK_RULES: RiskRules = {
  version: 1,
  rules: {
    largeDeal: { enabled: true, amountAbove: { CNY: 500_000_000 } },
    newAccount: { enabled: true, certifiedWithinDays: 30, amountAbove: { CNY: 50_000_000 } },
    changedBeforePayment: { enabled: true, withinHours: 72 },
    failedSignIns: { enabled: true, attempts: 5, withinMinutes: 15 },
    shillBidding: { enabled: true, action: "refuse", identifiers: ["device", "signingKey", "bankAccount"] },
    nearDuplicateListing: { enabled: true, similarityAtLeast: 0.8 },
    blacklist: { enabled: true },
  },
};

/** The rules file under a data folder. */
export const riskRulesFile = (dataDir: string) => path.join(dataDir, "risk-rules.json");

/** A rules file that cannot be used, with every problem named (path and message). */
export class RiskRulesError extends Error {
  override name = "RiskRulesError";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`risk rules file ${file} is not valid: ${problems.join("; ")}`);
  }
}

/** Checks the text of a rules file; throws `RiskRulesError` listing every problem. */
export function parseRiskRules(text: string, file: string): RiskRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RiskRulesError(file, [`not JSON (${(error as Error).message})`]);
  }
  const result = riskRulesSchema.safeParse(json);
  if (!result.success) {
    throw new RiskRulesError(
      file,
      result.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`),
    );
  }
  return result.data;
}

/**
 * Reads the rules file, writing the default first when there is none (first
 * start). Throws `RiskRulesError` for a file that is not valid.
 */
export async function loadRiskRules(file: string): Promise<RiskRules> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await writeRiskRules(file, DEFAULT_RISK_RULES);
    return structuredClone(DEFAULT_RISK_RULES);
  }
  return parseRiskRules(text, file);
}

/** Writes a rules file whole (temporary file, then rename), so a reader never sees half of one. */
export async function writeRiskRules(file: string, rules: RiskRules): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(rules, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
