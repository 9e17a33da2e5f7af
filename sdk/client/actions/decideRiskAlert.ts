import { assertMatches, assertObject, assertOneOf, assertString } from "../assert";
import { RISK_ALERT_ID_PATTERN, type RiskAlertView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface DecideRiskAlertParameters {
  /** The alert (ra_…). */
  alertId: string;
  /** Founded, or a false positive. */
  decision: "accept" | "dismiss";
  /** Why, for the record. */
  reason: string;
}
export type DecideRiskAlertReturnType = RiskAlertView;

/**
 * Accepts an alert (founded) or dismisses it (a false positive) with a reason, as the operator or a manager (POST /v1/risk/alerts/:alertId/decision).
 *
 * @example
 * const alert = await manager.decideRiskAlert({ alertId, decision: "dismiss", reason: "Family members bidding from one office" });
 */
export async function decideRiskAlert(
  client: GatewayClientBase,
  parameters: DecideRiskAlertParameters,
): Promise<DecideRiskAlertReturnType> {
  assertObject(parameters, "parameters");
  const { alertId, decision, reason } = parameters;
  assertMatches(alertId, RISK_ALERT_ID_PATTERN, "alertId", "an alert id (ra_…)");
  assertOneOf(decision, ["accept", "dismiss"] as const, "decision");
  assertString(reason, "reason", { max: 2000 });
  return client.request<DecideRiskAlertReturnType>("POST", `/v1/risk/alerts/${alertId}/decision`, { decision, reason });
}
