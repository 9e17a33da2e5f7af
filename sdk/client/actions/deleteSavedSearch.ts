import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SAVED_SEARCH_ID_PATTERN } from "../../patterns";

export interface DeleteSavedSearchParameters {
  searchId: string;
}
export type DeleteSavedSearchReturnType = void;

/**
 * Deletes a saved search (DELETE /v1/saved-searches/:id), for its owner.
 *
 * @example
 * await me.deleteSavedSearch({ searchId });
 */
export async function deleteSavedSearch(
  client: GatewayClientBase,
  parameters: DeleteSavedSearchParameters,
): Promise<DeleteSavedSearchReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.searchId,
    SAVED_SEARCH_ID_PATTERN,
    "searchId",
    "a saved search id (srch_ and 16 hex digits)",
  );
  return client.request<DeleteSavedSearchReturnType>("DELETE", `/v1/saved-searches/${parameters.searchId}`);
}
