import { assertMatches, assertObject } from "../assert";
import { RISK_ALERT_ID_PATTERN, type RiskAlertView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetRiskAlertParameters {
  /** The alert (ra_…). */
  alertId: string;
}
export type GetRiskAlertReturnType = RiskAlertView;

/**
 * One alert with its evidence and decision (GET /v1/risk/alerts/:alertId).
 *
 * @example
 * const alert = await auditor.getRiskAlert({ alertId });
 */
export async function getRiskAlert(
  client: GatewayClientBase,
  parameters: GetRiskAlertParameters,
): Promise<GetRiskAlertReturnType> {
  assertObject(parameters, "parameters");
  const { alertId } = parameters;
  assertMatches(alertId, RISK_ALERT_ID_PATTERN, "alertId", "an alert id (ra_…)");
  return client.request<GetRiskAlertReturnType>("GET", `/v1/risk/alerts/${alertId}`);
}
