import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import { CONTRACT_TYPES, type ContractType } from "../../deal/contractTypes";
import type { ContractTemplate } from "../../deal/templates";

export interface GetContractTemplateParameters {
  type: ContractType;
}
export type GetContractTemplateReturnType = ContractTemplate;

/**
 * One contract template in full: its clauses' texts in Chinese and English with their placeholders
 * (GET /v1/contract-templates/:type). The same data the SDK holds (`CONTRACT_TEMPLATES`), as the
 * gateway serves it.
 *
 * @example
 * const licence = await client.getContractTemplate({ type: "licence" });
 * licence.clauses.map((clause) => clause.heading.zh);
 */
export async function getContractTemplate(
  client: GatewayClientBase,
  parameters: GetContractTemplateParameters,
): Promise<GetContractTemplateReturnType> {
  assertObject(parameters, "parameters");
  if (!CONTRACT_TYPES.includes(parameters.type)) {
    throw new InvalidArgumentError(`type must be one of ${CONTRACT_TYPES.join(", ")}`);
  }
  return client.request<GetContractTemplateReturnType>("GET", `/v1/contract-templates/${parameters.type}`);
}
