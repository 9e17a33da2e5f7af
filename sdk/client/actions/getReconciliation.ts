import { assertObject } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";
import type { ReconciliationStatement } from "../types";

export interface GetReconciliationParameters {
  /** `YYYY-MM-DD` (UTC); today by default. */
  date?: string;
}
export type GetReconciliationReturnType = ReconciliationStatement;

/**
 * The daily reconciliation statement as JSON (GET /v1/bank/reconciliation): every fund event of the
 * day with its transaction and the bank's reference, each deal's balance beside the chain's, and the
 * breaks. The same route gives CSV with `format=csv`, for a spreadsheet. Takes any client with
 * `request`: the bank's signs its requests (`signRequest`).
 *
 * @example
 * const { breaks } = await getReconciliation(bankApi, { date: "2026-11-27" });
 */
export async function getReconciliation(
  client: GatewayRequester,
  parameters?: GetReconciliationParameters,
): Promise<GetReconciliationReturnType> {
  if (parameters !== undefined) assertObject(parameters, "parameters");
  const search = new URLSearchParams();
  if (parameters?.date !== undefined) search.set("date", String(parameters.date));
  const query = search.size ? `?${search}` : "";
  return client.request<GetReconciliationReturnType>("GET", `/v1/bank/reconciliation${query}`);
}
