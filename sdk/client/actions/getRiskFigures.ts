import { type RiskFiguresView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export type GetRiskFiguresReturnType = RiskFiguresView;

/**
 * Alerts per rule, median time to decision and false-positive rate, as the auditor or risk staff (GET /v1/risk/figures).
 *
 * @example
 * const { overall, byRule } = await auditor.getRiskFigures();
 */
export async function getRiskFigures(client: GatewayClientBase): Promise<GetRiskFiguresReturnType> {
  return client.request<GetRiskFiguresReturnType>("GET", "/v1/risk/figures");
}
