import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface SaveSearchParameters {
  q?: string;
  /** The filters of `searchListings`, without paging. */
  filters?: SavedSearchFilters;
}
export type SavedSearchFilters = Partial<{
  side: "supply" | "demand";
  field: string;
  ipc: string;
  minTrl: number;
  maxTrl: number;
  currency: string;
  maxPrice: number;
  minBudget: number;
  region: string;
  mode: string;
  language: string;
}>;
export interface SaveSearchReturnType {
  id: string;
  userId: string;
  q?: string;
  filters: SavedSearchFilters;
  createdAt: string;
}

/**
 * Saves a search (POST /v1/saved-searches): the user is told in their inbox when a new listing fits it
 * (6.4.3).
 *
 * @example
 * await me.saveSearch({ q: "光伏", filters: { side: "supply" } });
 */
export async function saveSearch(
  client: GatewayClientBase,
  parameters?: SaveSearchParameters,
): Promise<SaveSearchReturnType> {
  if (parameters !== undefined) assertObject(parameters, "parameters");
  return client.request<SaveSearchReturnType>("POST", `/v1/saved-searches`, {
    ...(parameters?.q !== undefined ? { q: parameters.q } : {}),
    filters: parameters?.filters ?? {},
  });
}
