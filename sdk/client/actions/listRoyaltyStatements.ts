import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { RoyaltyStatementView } from "../types";

export interface ListRoyaltyStatementsParameters {
  dealId: string;
}
export type ListRoyaltyStatementsReturnType = { statements: RoyaltyStatementView[] };

/**
 * The deal's royalty statements, oldest period first (GET /v1/deals/:id/royalty-statements).
 *
 * @example
 * const { statements } = await me.listRoyaltyStatements({ dealId });
 */
export async function listRoyaltyStatements(
  client: GatewayClientBase,
  parameters: ListRoyaltyStatementsParameters,
): Promise<ListRoyaltyStatementsReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<ListRoyaltyStatementsReturnType>("GET", `/v1/deals/${parameters.dealId}/royalty-statements`);
}
