import type { GatewayClientBase } from "../createGatewayClient";
import type { ListingView } from "../types";

export type ListMyListingsReturnType = { listings: ListingView[] };

/**
 * The signed-in user's own listings with all their versions (GET /v1/listings/mine).
 *
 * @example
 * const { listings } = await me.listMyListings();
 */
export async function listMyListings(client: GatewayClientBase): Promise<ListMyListingsReturnType> {
  return client.request<ListMyListingsReturnType>("GET", `/v1/listings/mine`);
}
