import { assertObject } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";
import type { BankInstruction } from "../types";

export interface ListInstructionsParameters {
  status?: "pending" | "all";
}
export type ListInstructionsReturnType = { instructions: BankInstruction[] };

/**
 * Instructions for the bank (GET /v1/bank/instructions): the pending ones to pull (by default), or
 * all; for the bank and overseers. Takes any client with `request`: the bank's signs its requests
 * (`signRequest`).
 *
 * @example
 * const { instructions } = await listInstructions(bankApi);
 */
export async function listInstructions(
  client: GatewayRequester,
  parameters?: ListInstructionsParameters,
): Promise<ListInstructionsReturnType> {
  if (parameters !== undefined) assertObject(parameters, "parameters");
  const search = new URLSearchParams();
  if (parameters?.status !== undefined) search.set("status", String(parameters.status));
  const query = search.size ? `?${search}` : "";
  return client.request<ListInstructionsReturnType>("GET", `/v1/bank/instructions${query}`);
}
