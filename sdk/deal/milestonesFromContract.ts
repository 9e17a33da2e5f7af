import { parseContractFields, contractText } from "./renderContract";
import type { ContractFields } from "./contractFields";
import type { ContractLanguage } from "./contractTypes";

/** The escrow's milestone plan, in the shape the escrow terms take (`POST …/escrow/terms`). */
export interface ContractMilestonePlan {
  currency: string;
  /** Sum of the milestones, integer minor units. */
  total: number;
  milestones: Array<{ title: string; amount: number; deliverBy: string }>;
}

/**
 * The escrow milestones a contract's payment clause gives (art. 846), so the terms are not typed
 * again: a lump sum is one milestone; instalments one milestone each, in order; royalties one
 * milestone for the upfront fee (royalties themselves are paid against recorded statements, not
 * escrowed), none when there is no upfront fee. Titles are in `language` (default Chinese).
 *
 * @example
 * const { currency, total, milestones } = milestonesFromContract(fields, "en");
 */
export function milestonesFromContract(fields: unknown, language: ContractLanguage = "zh"): ContractMilestonePlan {
  const type = (fields as { type?: unknown })?.type;
  const parsed = parseContractFields(type as ContractFields["type"], fields) as ContractFields;
  const payment = parsed.payment;
  const projectName = contractText(parsed.projectName, language);
  let milestones: ContractMilestonePlan["milestones"];
  if (payment.mode === "lumpSum") {
    milestones = [{ title: projectName, amount: payment.total, deliverBy: payment.deliverBy }];
  } else if (payment.mode === "instalments") {
    milestones = payment.instalments.map((instalment) => ({
      title: contractText(instalment.title, language),
      amount: instalment.amount,
      deliverBy: instalment.deliverBy,
    }));
  } else {
    milestones =
      payment.upfrontFee > 0
        ? [
            {
              title: language === "zh" ? `${projectName}：入门费` : `${projectName}: upfront fee`,
              amount: payment.upfrontFee,
              deliverBy: payment.upfrontDeliverBy!,
            },
          ]
        : [];
  }
  return {
    currency: payment.currency,
    total: milestones.reduce((sum, milestone) => sum + milestone.amount, 0),
    milestones,
  };
}
