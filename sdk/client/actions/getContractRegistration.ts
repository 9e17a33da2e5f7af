import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { ContractRegistrationView } from "../types";

export interface GetContractRegistrationParameters {
  dealId: string;
}
export type GetContractRegistrationReturnType = ContractRegistrationView;

/**
 * The signed contract's registration data (技术合同认定登记), for the parties, the auditor and the operator
 * (GET /v1/deals/:id/contract/registration; `?format=csv` gives the CSV line under its header).
 *
 * @example
 * const registration = await me.getContractRegistration({ dealId });
 * registration.contractTypeName // "技术许可合同"
 */
export async function getContractRegistration(
  client: GatewayClientBase,
  parameters: GetContractRegistrationParameters,
): Promise<GetContractRegistrationReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<GetContractRegistrationReturnType>(
    "GET",
    `/v1/deals/${parameters.dealId}/contract/registration`,
  );
}
