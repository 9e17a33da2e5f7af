import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { ExchangeRates } from "./getExchangeRates";

export interface SetExchangeRatesParameters {
  /** The day the rates were fixed (`YYYY-MM-DD`). */
  date: string;
  /** The currency the rates are in, e.g. `CNY`. */
  base: string;
  /** Units of `base` one unit of each currency is worth: `{ USD: 7.1, THB: 0.2 }`. */
  rates: Record<string, number>;
}
export type SetExchangeRatesReturnType = { rates: ExchangeRates };

/**
 * Sets the exchange rates matching converts prices and budgets with (PUT /v1/exchange-rates),
 * for administrators; the change is an evidence record.
 *
 * @example
 * await admin.setExchangeRates({ date: "2026-11-27", base: "CNY", rates: { USD: 7.1, THB: 0.2 } });
 */
export async function setExchangeRates(
  client: GatewayClientBase,
  parameters: SetExchangeRatesParameters,
): Promise<SetExchangeRatesReturnType> {
  assertObject(parameters, "parameters");
  assertObject(parameters.rates, "rates");
  const { date, base, rates } = parameters;
  return client.request<SetExchangeRatesReturnType>("PUT", "/v1/exchange-rates", { date, base, rates });
}
