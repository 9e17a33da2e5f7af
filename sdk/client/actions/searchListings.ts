import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { ListingContent } from "../types";

export interface SearchListingsParameters {
  /** Words in any language, up to 2,000 characters. */
  q?: string;
  side?: "supply" | "demand";
  field?: string;
  /** An IPC prefix such as H01M. */
  ipc?: string;
  minTrl?: number;
  maxTrl?: number;
  currency?: string;
  maxPrice?: number;
  minBudget?: number;
  region?: string;
  mode?: string;
  language?: string;
  limit?: number;
  offset?: number;
}
export type SearchListingsReturnType = {
  total: number;
  bridged: unknown[];
  results: Array<{ id: string; ownerId: string; score?: number; content: Omit<ListingContent, "details"> }>;
};

/**
 * Searches public listings across Chinese and English with filters (POST /v1/listings/search, the body
 * form of GET /v1/listings, so long text fits). Words are bridged between the languages; `bridged`
 * says how.
 *
 * @example
 * const { total, results } = await client.searchListings({ q: "光伏 recycling", side: "supply", limit: 10 });
 */
export async function searchListings(
  client: GatewayClientBase,
  parameters?: SearchListingsParameters,
): Promise<SearchListingsReturnType> {
  if (parameters !== undefined) assertObject(parameters, "parameters");
  return client.request<SearchListingsReturnType>("POST", `/v1/listings/search`, parameters ?? {});
}
