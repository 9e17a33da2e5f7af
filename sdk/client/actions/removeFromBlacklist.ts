import { assertMatches, assertObject, assertString } from "../assert";
import { BLACKLIST_ENTRY_ID_PATTERN, type BlacklistEntryView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface RemoveFromBlacklistParameters {
  /** The entry (bl_…). */
  entryId: string;
  /** Why, for the record. */
  reason: string;
}
export type RemoveFromBlacklistReturnType = BlacklistEntryView;

/**
 * Takes an entry off the blacklist with a reason, as the operator or an admin (POST /v1/risk/blacklist/:entryId/removal).
 *
 * @example
 * const entry = await operator.removeFromBlacklist({ entryId, reason: "Ruling overturned on appeal" });
 */
export async function removeFromBlacklist(
  client: GatewayClientBase,
  parameters: RemoveFromBlacklistParameters,
): Promise<RemoveFromBlacklistReturnType> {
  assertObject(parameters, "parameters");
  const { entryId, reason } = parameters;
  assertMatches(entryId, BLACKLIST_ENTRY_ID_PATTERN, "entryId", "a blacklist entry id (bl_…)");
  assertString(reason, "reason", { max: 2000 });
  return client.request<RemoveFromBlacklistReturnType>("POST", `/v1/risk/blacklist/${entryId}/removal`, { reason });
}
