import { assertObject, assertOneOf, assertString } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";
import type { BankInstruction, EscrowCall } from "../types";

export interface ReportInstructionStatusParameters {
  instructionId: string;
  status: "accepted" | "settled" | "rejected";
  /** With `settled`: the reference of the payment. */
  bankRef?: string;
  /** With `rejected`: an ISO 20022 reason code such as AC04. */
  reason?: string;
  /** Sent as `Idempotency-Key`: the same key for a retry of the same report (e.g. `deposit-${bankRef}`), so it is never counted twice. */
  idempotencyKey?: string;
}
export type ReportInstructionStatusReturnType = { instruction: BankInstruction; attest?: EscrowCall };

/**
 * Reports an instruction accepted, settled (with the bank's reference) or rejected (with an ISO 20022
 * reason code) (POST /v1/bank/instructions/:id/status), for the bank. A settled or rejected report
 * answers the escrow call to make (`confirmInstruction`, `reportInstructionFailed`). Takes any client
 * with `request`: the bank's signs its requests (`signRequest`).
 *
 * @example
 * const { attest } = await reportInstructionStatus(bankApi, { instructionId, status: "settled", bankRef,
 *   idempotencyKey: `settle-${instructionId}` });
 */
export async function reportInstructionStatus(
  client: GatewayRequester,
  parameters: ReportInstructionStatusParameters,
): Promise<ReportInstructionStatusReturnType> {
  assertObject(parameters, "parameters");
  assertString(parameters.instructionId, "instructionId", { max: 120 });
  assertOneOf(parameters.status, ["accepted", "settled", "rejected"] as const, "status");
  return client.request<ReportInstructionStatusReturnType>(
    "POST",
    `/v1/bank/instructions/${encodeURIComponent(parameters.instructionId)}/status`,
    {
      status: parameters.status,
      ...(parameters.bankRef !== undefined ? { bankRef: parameters.bankRef } : {}),
      ...(parameters.reason !== undefined ? { reason: parameters.reason } : {}),
    },
    { idempotencyKey: parameters.idempotencyKey },
  );
}
