import type { GatewayClientBase } from "../createGatewayClient";
import type { SaveSearchReturnType } from "./saveSearch";

export type ListSavedSearchesReturnType = { searches: SaveSearchReturnType[] };

/**
 * The signed-in user's saved searches (GET /v1/saved-searches).
 *
 * @example
 * const { searches } = await me.listSavedSearches();
 */
export async function listSavedSearches(client: GatewayClientBase): Promise<ListSavedSearchesReturnType> {
  return client.request<ListSavedSearchesReturnType>("GET", `/v1/saved-searches`);
}
