import { type BlacklistEntryView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export type ListBlacklistReturnType = { entries: BlacklistEntryView[] };

/**
 * The blacklist, removed entries included (GET /v1/risk/blacklist).
 *
 * @example
 * const { entries } = await operator.listBlacklist();
 */
export async function listBlacklist(client: GatewayClientBase): Promise<ListBlacklistReturnType> {
  return client.request<ListBlacklistReturnType>("GET", "/v1/risk/blacklist");
}
