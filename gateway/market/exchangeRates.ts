import type { ExchangeRateTable } from "./types";
import { z } from "zod";
import type { Principal } from "../auth/roles";
import type { EvidenceRecorder } from "../evidence/recorder";
import type { MarketRepository } from "./repository";
import { CURRENCIES } from "./schemas";

/** Subject of the exchange rates' evidence records. */
export const RATES_SUBJECT = "market:exchange-rates";

const currency = z
  .string()
  .refine((code) => CURRENCIES.has(code), "an ISO 4217 currency code in current use, such as CNY, USD, THB");

export const exchangeRatesSchema = z
  .strictObject({
    date: z.iso.date().meta({ description: "The day the rates were fixed", example: "2026-11-27" }),
    base: currency.meta({ example: "CNY" }),
    rates: z
      .record(currency, z.number().positive().finite().max(1e9))
      .refine((rates) => Object.keys(rates).length >= 1 && Object.keys(rates).length <= 200, "one to 200 currencies")
      .meta({ description: "Units of `base` one unit of each currency is worth", example: { USD: 7.1, THB: 0.2 } }),
  })
  .meta({ id: "ExchangeRates" });

const minorDigits = new Map<string, number>();

/** How many minor units a currency has (2 for CNY and USD, 0 for VND and JPY), as ISO 4217 and `Intl` say. */
export function currencyDigits(code: string): number {
  let digits = minorDigits.get(code);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigits.set(code, digits);
  }
  return digits;
}

/** What matching needs of the rates: a conversion, and the date to name in reasons. */
export interface CurrencyConverter {
  readonly date: string;
  /** `amount` minor units of `from` in minor units of `to`, or `undefined` when a rate is missing. */
  convert(amount: number, from: string, to: string): number | undefined;
}

/** A converter over one table of rates. */
export function converterFor(table: Pick<ExchangeRateTable, "date" | "base" | "rates">): CurrencyConverter {
  const rate = (code: string) =>
    code === table.base ? 1 : Object.hasOwn(table.rates, code) ? table.rates[code] : undefined;
  return {
    date: table.date,
    convert(amount, from, to) {
      if (from === to) return amount;
      const fromRate = rate(from);
      const toRate = rate(to);
      if (fromRate === undefined || toRate === undefined) return undefined;
      const inBase = (amount / 10 ** currencyDigits(from)) * fromRate;
      return Math.round((inBase / toRate) * 10 ** currencyDigits(to));
    },
  };
}

/**
 * Exchange rates set by the platform's administrator, so that a price and a
 * budget in different currencies are compared (6.4.1 price fit). Each setting
 * is an evidence record of {@link RATES_SUBJECT}, written with the table, so
 * anyone can later check which rates a match was scored with.
 */
export class ExchangeRates {
  private readonly table;
  private current?: ExchangeRateTable;

  constructor(
    tables: MarketRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.table = tables.exchangeRates;
  }

  async init(): Promise<void> {
    this.current = await this.table.get("current");
  }

  /** The rates in force, if any were set. */
  get rates(): ExchangeRateTable | undefined {
    return this.current;
  }

  /** The converter matching uses, if rates were set. */
  get converter(): CurrencyConverter | undefined {
    return this.current && converterFor(this.current);
  }

  async set(admin: Principal, input: z.infer<typeof exchangeRatesSchema>): Promise<ExchangeRateTable> {
    const setAt = this.clock().toISOString();
    const rates = Object.fromEntries(Object.entries(input.rates).filter(([code]) => code !== input.base));
    const written = await this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "market.rates.set",
        subject: RATES_SUBJECT,
        data: { date: input.date, base: input.base, rates },
      });
      const table = { date: input.date, base: input.base, rates, setBy: admin.id, setAt, recordId: record.header.id };
      unit.put(this.table, "current", table);
      return table;
    });
    this.current = written;
    return written;
  }
}
