import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealContractView } from "../types";

export interface GetContractParameters {
  dealId: string;
}
export type GetContractReturnType = DealContractView;

/**
 * The deal's contract: versions with what changed, signatures, and the typed data of the last version
 * (GET /v1/deals/:id/contract).
 *
 * @example
 * const { status, versions } = await me.getContract({ dealId });
 */
export async function getContract(
  client: GatewayClientBase,
  parameters: GetContractParameters,
): Promise<GetContractReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<GetContractReturnType>("GET", `/v1/deals/${parameters.dealId}/contract`);
}
