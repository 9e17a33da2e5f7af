import { assertObject } from "../assert";
import { type DealStatisticsView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetDealStatisticsParameters {
  /** Start of the period (ISO date or date-time, inclusive). */
  from?: string;
  /** End of the period (exclusive). */
  to?: string;
}
export type GetDealStatisticsReturnType = DealStatisticsView;

/**
 * The deals' figures per step over a period, overall and by field, region and broker, as the auditor or the
 * operator (GET /v1/statistics/deals; the same with `?format=csv` is a CSV download).
 *
 * @example
 * const { overall } = await auditor.getDealStatistics({ from: "2027-01-01", to: "2028-01-01" });
 */
export async function getDealStatistics(
  client: GatewayClientBase,
  parameters: GetDealStatisticsParameters,
): Promise<GetDealStatisticsReturnType> {
  assertObject(parameters, "parameters");
  const { from, to } = parameters;
  const search = new URLSearchParams();
  if (from !== undefined) search.set("from", String(from));
  if (to !== undefined) search.set("to", String(to));
  const query = search.size > 0 ? `?${search}` : "";
  return client.request<GetDealStatisticsReturnType>("GET", `/v1/statistics/deals${query}`);
}
