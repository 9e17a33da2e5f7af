import { assertObject } from "../assert";
import { type RiskAlertView, type RiskAlertStatus, type RiskRuleNameView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ListRiskAlertsParameters {
  /** Only alerts in this state. */
  status?: RiskAlertStatus;
  /** Only alerts of this rule. */
  rule?: RiskRuleNameView;
  /** At most this many (1–1000, default 100). */
  limit?: number;
}
export type ListRiskAlertsReturnType = { alerts: RiskAlertView[] };

/**
 * The alerts' queue, newest first, optionally of one status or rule (GET /v1/risk/alerts).
 *
 * @example
 * const { alerts } = await manager.listRiskAlerts({ status: "open", rule: "shillBidding" });
 */
export async function listRiskAlerts(
  client: GatewayClientBase,
  parameters: ListRiskAlertsParameters,
): Promise<ListRiskAlertsReturnType> {
  assertObject(parameters, "parameters");
  const { status, rule, limit } = parameters;
  const search = new URLSearchParams();
  if (status !== undefined) search.set("status", String(status));
  if (rule !== undefined) search.set("rule", String(rule));
  if (limit !== undefined) search.set("limit", String(limit));
  const query = search.size > 0 ? `?${search}` : "";
  return client.request<ListRiskAlertsReturnType>("GET", `/v1/risk/alerts${query}`);
}
