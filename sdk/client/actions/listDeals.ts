import type { GatewayClientBase } from "../createGatewayClient";
import type { DealView } from "../types";

export type ListDealsReturnType = { deals: DealView[] };

/**
 * The signed-in user's deals, newest first (GET /v1/deals): those they are a party or the broker of, and those
 * whose workspace made them the manager or an evaluator.
 *
 * @example
 * const { deals } = await me.listDeals();
 */
export async function listDeals(client: GatewayClientBase): Promise<ListDealsReturnType> {
  return client.request<ListDealsReturnType>("GET", `/v1/deals`);
}
