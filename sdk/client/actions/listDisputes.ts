import type { GatewayClientBase } from "../createGatewayClient";
import type { DisputeView } from "../types";

export type ListDisputesReturnType = { disputes: DisputeView[] };

/**
 * The disputes the signed-in user is a party or the arbitrator of, all of them for overseers (GET
 * /v1/disputes).
 *
 * @example
 * const { disputes } = await arbitrator.listDisputes();
 */
export async function listDisputes(client: GatewayClientBase): Promise<ListDisputesReturnType> {
  return client.request<ListDisputesReturnType>("GET", `/v1/disputes`);
}
