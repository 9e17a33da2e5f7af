import type { GatewayClientBase } from "../createGatewayClient";

/** The exchange rate table: units of `base` one unit of each currency is worth, on `date`. */
export interface ExchangeRates {
  date: string;
  base: string;
  rates: Record<string, number>;
  setBy: string;
  setAt: string;
  recordId: string;
}
export type GetExchangeRatesReturnType = { rates: ExchangeRates | null };

/**
 * The exchange rates matching converts prices and budgets with, and their date (GET /v1/exchange-
 * rates); `rates` is null until set.
 *
 * @example
 * const { rates } = await client.getExchangeRates();
 */
export async function getExchangeRates(client: GatewayClientBase): Promise<GetExchangeRatesReturnType> {
  return client.request<GetExchangeRatesReturnType>("GET", `/v1/exchange-rates`);
}
