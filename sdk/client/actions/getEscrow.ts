import type { GatewayClientBase } from "../createGatewayClient";
import { assertDealId } from "../assert";
import type { EscrowView } from "../types";

export interface GetEscrowParameters {
  dealId: string;
}
export type GetEscrowReturnType = EscrowView;

/**
 * A deal's escrow as the chain holds it now (GET /v1/deals/:id/escrow): the
 * terms and who signed them, each milestone with the nonce the next move signs,
 * the parties' age recipients, and the typed-data domain of moves.
 *
 * @example
 * const escrow = await me.getEscrow({ dealId });
 * console.log(escrow.milestones[0].state); // "locked"
 */
export async function getEscrow(
  client: GatewayClientBase,
  parameters: GetEscrowParameters,
): Promise<GetEscrowReturnType> {
  assertDealId(parameters?.dealId);
  return client.request<EscrowView>("GET", `/v1/deals/${parameters.dealId}/escrow`);
}
