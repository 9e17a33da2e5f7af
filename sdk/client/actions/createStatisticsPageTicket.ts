import type { GatewayClientBase } from "../createGatewayClient";
import type { StatisticsPageTicketView } from "../statisticsSchemas";

export type CreateStatisticsPageTicketReturnType = StatisticsPageTicketView;

/**
 * A ticket that opens the `/statistics` page (and its CSV download) in a browser for 15 minutes, as
 * the auditor or the operator (POST /v1/statistics/page-tickets): a browser cannot send the bearer
 * token of a link it follows, and the token itself must not go into a URL.
 *
 * @example
 * const { url } = await auditor.createStatisticsPageTicket();
 * console.log(`open ${baseUrl}${url}&from=2027-01-01`);
 */
export async function createStatisticsPageTicket(
  client: GatewayClientBase,
): Promise<CreateStatisticsPageTicketReturnType> {
  return client.request<CreateStatisticsPageTicketReturnType>("POST", "/v1/statistics/page-tickets");
}
