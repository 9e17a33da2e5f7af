import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import type { DealContractVersionView } from "../types";

export interface GetContractVersionParameters {
  dealId: string;
  version: number;
}
export type GetContractVersionReturnType = DealContractVersionView;

/**
 * One version of the contract rendered: the text whose SHA-256 is signed, the HTML, the fields, what
 * changed and the typed data (GET /v1/deals/:id/contract/versions/:version).
 *
 * @example
 * const { text, contractDigest: digest } = await me.getContractVersion({ dealId, version: 2 });
 */
export async function getContractVersion(
  client: GatewayClientBase,
  parameters: GetContractVersionParameters,
): Promise<GetContractVersionReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  if (!Number.isInteger(parameters.version) || parameters.version < 1) {
    throw new InvalidArgumentError("version must be a whole number from 1");
  }
  return client.request<GetContractVersionReturnType>(
    "GET",
    `/v1/deals/${parameters.dealId}/contract/versions/${parameters.version}`,
  );
}
