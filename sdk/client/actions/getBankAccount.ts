import { assertObject, assertUserId } from "../assert";
import { type BankAccountView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetBankAccountParameters {
  /** The account id (usr_…). */
  userId: string;
}
export type GetBankAccountReturnType = BankAccountView;

/**
 * The bank account a party declared, as its owner or risk staff (GET /v1/users/:id/bank-account).
 *
 * @example
 * const { last4, since } = await operator.getBankAccount({ userId });
 */
export async function getBankAccount(
  client: GatewayClientBase,
  parameters: GetBankAccountParameters,
): Promise<GetBankAccountReturnType> {
  assertObject(parameters, "parameters");
  const { userId } = parameters;
  assertUserId(userId, "userId");
  return client.request<GetBankAccountReturnType>("GET", `/v1/users/${userId}/bank-account`);
}
