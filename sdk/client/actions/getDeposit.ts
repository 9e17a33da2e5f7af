import { assertMatches, assertObject } from "../assert";
import { DEPOSIT_ID_PATTERN } from "../../patterns";
import type { GatewayRequester } from "../createGatewayClient";
import type { DepositReport } from "../types";

export interface GetDepositParameters {
  depositId: string;
}
export type GetDepositReturnType = { deposit: DepositReport };

/**
 * A deposit report and whether the escrow shows it locked (GET /v1/bank/deposits/:id), for the bank
 * and overseers. Takes any client with `request`: the bank's signs its requests (`signRequest`).
 *
 * @example
 * const { deposit } = await getDeposit(bankApi, { depositId });
 */
export async function getDeposit(
  client: GatewayRequester,
  parameters: GetDepositParameters,
): Promise<GetDepositReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.depositId, DEPOSIT_ID_PATTERN, "depositId", "a deposit id (dep_ and 24 hex digits)");
  return client.request<GetDepositReturnType>("GET", `/v1/bank/deposits/${parameters.depositId}`);
}
