import { type RiskRulesView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export type GetRiskRulesReturnType = RiskRulesView;

/**
 * The risk rules in force, as the rules file holds them (GET /v1/risk/rules).
 *
 * @example
 * const { rules } = await operator.getRiskRules();
 */
export async function getRiskRules(client: GatewayClientBase): Promise<GetRiskRulesReturnType> {
  return client.request<GetRiskRulesReturnType>("GET", "/v1/risk/rules");
}
