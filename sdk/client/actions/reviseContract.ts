import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { ContractLanguage } from "../../deal/contractTypes";
import type { ContractFieldsInput } from "../../deal/contractFields";
import type { DealContractView } from "../types";

export interface ReviseContractParameters {
  dealId: string;
  /** Another language for the text; the last version's by default. */
  language?: ContractLanguage;
  /** The whole fields of the new version (what changed is worked out by the gateway). */
  fields: ContractFieldsInput;
}
export type ReviseContractReturnType = DealContractView;

/**
 * A new version of the contract draft; the signatures of the last version lapse
 * (POST /v1/deals/:id/contract/versions).
 *
 * @example
 * const contract = await buyer.reviseContract({ dealId, fields: { ...fields, payment } });
 * contract.versions.at(-1)!.changes // [{ path: "payment.total", change: "changed", … }]
 */
export async function reviseContract(
  client: GatewayClientBase,
  parameters: ReviseContractParameters,
): Promise<ReviseContractReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertObject(parameters.fields, "fields");
  const { dealId, ...body } = parameters;
  return client.request<ReviseContractReturnType>("POST", `/v1/deals/${dealId}/contract/versions`, body);
}
