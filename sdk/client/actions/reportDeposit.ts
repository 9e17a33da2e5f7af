import { assertDealId, assertMilestone, assertObject } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";
import type { DepositReport, EscrowCall } from "../types";

export interface ReportDepositParameters {
  dealId: string;
  milestone: number;
  currency: string;
  /** Integer minor units, more than zero. */
  amount: number;
  /** The bank's reference: 1–31 letters, digits, . _ / -. */
  bankRef: string;
  payer?: string;
  /** Sent as `Idempotency-Key`: the same key for a retry of the same report (e.g. `deposit-${bankRef}`), so it is never counted twice. */
  idempotencyKey?: string;
}
export type ReportDepositReturnType = { deposit: DepositReport; attest: EscrowCall };

/**
 * Reports a deposit the bank received for a milestone (POST /v1/bank/deposits), for the bank; answers
 * the `lockDeposit` call the bank then makes on the escrow with its own key. Takes any client with
 * `request`: the bank's signs its requests (`signRequest`).
 *
 * @example
 * const { deposit, attest } = await reportDeposit(bankApi, { dealId, milestone: 0, currency: "CNY", amount: 100_000_000,
 *   bankRef, idempotencyKey: `deposit-${bankRef}` });
 */
export async function reportDeposit(
  client: GatewayRequester,
  parameters: ReportDepositParameters,
): Promise<ReportDepositReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMilestone(parameters.milestone);
  return client.request<ReportDepositReturnType>(
    "POST",
    `/v1/bank/deposits`,
    {
      dealId: parameters.dealId,
      milestone: parameters.milestone,
      currency: parameters.currency,
      amount: parameters.amount,
      bankRef: parameters.bankRef,
      ...(parameters.payer !== undefined ? { payer: parameters.payer } : {}),
    },
    { idempotencyKey: parameters.idempotencyKey },
  );
}
