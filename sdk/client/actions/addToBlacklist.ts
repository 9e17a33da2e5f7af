import { assertObject, assertOneOf, assertString } from "../assert";
import { BLACKLIST_KINDS, type BlacklistEntryView, type BlacklistKindView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface AddToBlacklistParameters {
  /** `user` or `credit-code`. */
  kind: BlacklistKindView;
  /** A user id, or a unified social credit code. */
  value: string;
  /** Why, for the record. */
  reason: string;
}
export type AddToBlacklistReturnType = BlacklistEntryView;

/**
 * Blacklists an account (it may not be a counter-party) or a credit code (it may not be certified again), as the operator or an admin (POST /v1/risk/blacklist).
 *
 * @example
 * const entry = await operator.addToBlacklist({ kind: "user", value: userId, reason: "Court ruling 2026-11-30" });
 */
export async function addToBlacklist(
  client: GatewayClientBase,
  parameters: AddToBlacklistParameters,
): Promise<AddToBlacklistReturnType> {
  assertObject(parameters, "parameters");
  const { kind, value, reason } = parameters;
  assertOneOf(kind, BLACKLIST_KINDS, "kind");
  assertString(value, "value", { max: 64 });
  assertString(reason, "reason", { max: 2000 });
  return client.request<AddToBlacklistReturnType>("POST", "/v1/risk/blacklist", { kind, value, reason });
}
