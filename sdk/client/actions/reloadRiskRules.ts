import { type RiskRulesView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export type ReloadRiskRulesReturnType = RiskRulesView;

/**
 * Reloads DATA_DIR/risk-rules.json, as the operator or an admin (POST /v1/risk/rules/reload); a file that is not valid is refused and the rules in force stay.
 *
 * @example
 * const { loadedAt } = await operator.reloadRiskRules();
 */
export async function reloadRiskRules(client: GatewayClientBase): Promise<ReloadRiskRulesReturnType> {
  return client.request<ReloadRiskRulesReturnType>("POST", "/v1/risk/rules/reload", {});
}
