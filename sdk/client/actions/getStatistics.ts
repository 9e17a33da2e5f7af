import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { StatisticsView } from "../statisticsSchemas";

export interface GetStatisticsParameters {
  /** Start of the period (ISO date or date-time with offset, inclusive). */
  from?: string;
  /** End of the period (exclusive). */
  to?: string;
}
export type GetStatisticsReturnType = StatisticsView;

/**
 * The platform's figures over a period, section by section (listings, demands, matches, deals with their
 * amounts and time per step), as the auditor or the operator (GET /v1/statistics; the same with
 * `?format=csv` is a CSV download, docs/STATISTICS.md).
 *
 * @example
 * const { sections } = await auditor.getStatistics({ from: "2027-01-01", to: "2027-04-01" });
 * const deals = sections.find((section) => section.name === "deals");
 */
export async function getStatistics(
  client: GatewayClientBase,
  parameters: GetStatisticsParameters = {},
): Promise<GetStatisticsReturnType> {
  assertObject(parameters, "parameters");
  const { from, to } = parameters;
  const search = new URLSearchParams();
  if (from !== undefined) search.set("from", String(from));
  if (to !== undefined) search.set("to", String(to));
  const query = search.size > 0 ? `?${search}` : "";
  return client.request<GetStatisticsReturnType>("GET", `/v1/statistics${query}`);
}
