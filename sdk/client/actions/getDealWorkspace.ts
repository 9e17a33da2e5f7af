import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealWorkspaceView } from "../types";

export interface GetDealWorkspaceParameters {
  dealId: string;
}
export type GetDealWorkspaceReturnType = DealWorkspaceView;

/**
 * A deal's workspace (GET /v1/deals/:id/workspace): its state, participants, threads, the moves so far,
 * the caller's roles in it and the moves the caller may make now.
 *
 * @example
 * const { state, moves } = await me.getDealWorkspace({ dealId });
 */
export async function getDealWorkspace(
  client: GatewayClientBase,
  parameters: GetDealWorkspaceParameters,
): Promise<GetDealWorkspaceReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<GetDealWorkspaceReturnType>("GET", `/v1/deals/${parameters.dealId}/workspace`);
}
