import type { GatewayClientBase } from "../createGatewayClient";
import type { DealWorkspaceView } from "../types";

export type GetDealStatesReturnType = {
  states: Array<DealWorkspaceView["state"]>;
  /** Every move: the states it leaves from, the state it leads to, who makes it and what it means. */
  moves: Record<
    string,
    { from: Array<DealWorkspaceView["state"]>; to: DealWorkspaceView["state"]; by: string[]; meaning: string }
  >;
};

/**
 * The deal's state machine (GET /v1/deal-states): its states and the table of moves, as the gateway applies it.
 *
 * @example
 * const { moves } = await anyone.getDealStates();
 * moves.begin_negotiation.by // ["supplier", "demander", "broker"]
 */
export async function getDealStates(client: GatewayClientBase): Promise<GetDealStatesReturnType> {
  return client.request<GetDealStatesReturnType>("GET", "/v1/deal-states");
}
