import { assertObject, assertString, assertUserId } from "../assert";
import { type BankAccountView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface DeclareBankAccountParameters {
  /** The caller's own account id (usr_…). */
  userId: string;
  /** The bank and branch. */
  bank: string;
  /** 8 to 34 digits; spaces and dashes allowed. */
  accountNumber: string;
}
export type DeclareBankAccountReturnType = BankAccountView;

/**
 * Declares the bank account the party is paid to, as the account's owner (PUT /v1/users/:id/bank-account); only its digest and last four digits are kept.
 *
 * @example
 * const account = await supplier.declareBankAccount({ userId, bank: "ICBC Kunming", accountNumber: "6222 0000 1234 5678" });
 */
export async function declareBankAccount(
  client: GatewayClientBase,
  parameters: DeclareBankAccountParameters,
): Promise<DeclareBankAccountReturnType> {
  assertObject(parameters, "parameters");
  const { userId, bank, accountNumber } = parameters;
  assertUserId(userId, "userId");
  assertString(bank, "bank", { max: 200 });
  assertString(accountNumber, "accountNumber", { max: 64 });
  return client.request<DeclareBankAccountReturnType>("PUT", `/v1/users/${userId}/bank-account`, {
    bank,
    accountNumber,
  });
}
