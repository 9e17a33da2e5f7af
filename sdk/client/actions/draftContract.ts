import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import { CONTRACT_LANGUAGES, type ContractLanguage } from "../../deal/contractTypes";
import type { ContractFieldsInput } from "../../deal/contractFields";
import type { DealContractView } from "../types";

export interface DraftContractParameters {
  dealId: string;
  /** The language of the text the parties sign (`zh` or `en`). */
  language: ContractLanguage;
  /** The filled clauses of the type's template (`contractFieldsSchema`). */
  fields: ContractFieldsInput;
}
export type DraftContractReturnType = DealContractView;

/**
 * Drafts the deal's technology contract from its type's template, for a party, the broker or the manager
 * while the deal is contracting (POST /v1/deals/:id/contract).
 *
 * @example
 * const contract = await broker.draftContract({ dealId, language: "zh", fields });
 */
export async function draftContract(
  client: GatewayClientBase,
  parameters: DraftContractParameters,
): Promise<DraftContractReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  if (!CONTRACT_LANGUAGES.includes(parameters.language)) {
    throw new InvalidArgumentError(`language must be one of ${CONTRACT_LANGUAGES.join(", ")}`);
  }
  assertObject(parameters.fields, "fields");
  const { dealId, ...body } = parameters;
  return client.request<DraftContractReturnType>("POST", `/v1/deals/${dealId}/contract`, body);
}
