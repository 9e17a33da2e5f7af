import { assertObject, assertString } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";
import type { BankInstruction } from "../types";

export interface GetInstructionParameters {
  instructionId: string;
}
export type GetInstructionReturnType = { instruction: BankInstruction };

/**
 * One instruction as it stands now (GET /v1/bank/instructions/:id), for the bank and overseers. Takes
 * any client with `request`: the bank's signs its requests (`signRequest`).
 *
 * @example
 * const { instruction } = await getInstruction(bankApi, { instructionId });
 */
export async function getInstruction(
  client: GatewayRequester,
  parameters: GetInstructionParameters,
): Promise<GetInstructionReturnType> {
  assertObject(parameters, "parameters");
  assertString(parameters.instructionId, "instructionId", { max: 120 });
  return client.request<GetInstructionReturnType>(
    "GET",
    `/v1/bank/instructions/${encodeURIComponent(parameters.instructionId)}`,
  );
}
