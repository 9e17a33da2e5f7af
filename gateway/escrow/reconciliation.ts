import type { EscrowPort } from "../chain/escrow";
import type { EscrowRepository } from "./repository";
import type { FundEvent } from "./types";

export interface ReconciliationRow extends FundEvent {
  /** What the bank reported of the same money: the deposit's or the instruction's status. */
  bankReport?: { id: string; status: string; amount?: number; bankRef?: string };
}

export interface ReconciliationBreak {
  code:
    | "LOCKED_NOT_REPORTED"
    | "REPORTED_NOT_LOCKED"
    | "DEPOSIT_AMOUNT_DIFFERS"
    | "SETTLED_NOT_CONFIRMED"
    | "CONFIRMED_NOT_REPORTED"
    | "REFERENCE_DIFFERS"
    | "BALANCE_DIFFERS";
  dealId: string;
  milestone?: number;
  detail: string;
}

export interface DealBalance {
  dealId: string;
  currency: string;
  deposited: number;
  released: number;
  refunded: number;
  /** deposited − released − refunded, from the fund events. */
  locked: number;
  /** The same, as the escrow contract holds it now. */
  lockedOnChain: number;
}

export interface ReconciliationStatement {
  date: string;
  generatedAt: string;
  escrow: string;
  chainId: string;
  events: ReconciliationRow[];
  balances: DealBalance[];
  breaks: ReconciliationBreak[];
}

/**
 * The daily reconciliation statement: every fund event of the escrow on `date`
 * (UTC, by block time) with its transaction and the bank's reference and report,
 * each touched deal's balance from the events beside the chain's, and the breaks
 * between what the bank reported and what the chain shows, as of the end of
 * that day.
 */
export async function reconciliation(
  tables: EscrowRepository,
  escrow: EscrowPort,
  date: string,
): Promise<ReconciliationStatement> {
  const dayEnd = `${date}T23:59:59.999Z`;
  const events: ReconciliationRow[] = [];
  const balances = new Map<string, DealBalance>();
  const breaks: ReconciliationBreak[] = [];
  const depositsByRef = new Map<string, { id: string; amount: number; status: string }>();
  for await (const deposit of tables.deposits.values()) {
    if (deposit.reportedAt > dayEnd) continue;
    depositsByRef.set(deposit.bankRef, { id: deposit.id, amount: deposit.amount, status: deposit.status });
    if (deposit.status === "reported") {
      breaks.push({
        code: "REPORTED_NOT_LOCKED",
        dealId: deposit.dealId,
        milestone: deposit.milestone,
        detail: `deposit ${deposit.bankRef} of ${deposit.amount} was reported but the escrow shows no lock for it`,
      });
    }
  }
  for await (const event of tables.fundEvents.values()) {
    if (event.blockTime > dayEnd) break;
    const balance =
      balances.get(event.dealId) ??
      ({
        dealId: event.dealId,
        currency: event.currency,
        deposited: 0,
        released: 0,
        refunded: 0,
        locked: 0,
        lockedOnChain: 0,
      } satisfies DealBalance);
    balance.deposited += event.locked;
    balance.released += event.released;
    balance.refunded += event.refunded;
    balance.locked = balance.deposited - balance.released - balance.refunded;
    balances.set(event.dealId, balance);
    if (!event.blockTime.startsWith(date)) continue;
    const row: ReconciliationRow = { ...event };
    if (event.event === "DepositLocked") {
      const deposit = depositsByRef.get(event.bankRef ?? "");
      if (!deposit) {
        breaks.push({
          code: "LOCKED_NOT_REPORTED",
          dealId: event.dealId,
          milestone: event.milestone,
          detail: `the escrow locked ${event.locked} under bank reference ${event.bankRef}, which the bank never reported`,
        });
      } else {
        row.bankReport = { id: deposit.id, status: deposit.status, amount: deposit.amount, bankRef: event.bankRef };
        if (deposit.amount !== event.locked + event.excess) {
          breaks.push({
            code: "DEPOSIT_AMOUNT_DIFFERS",
            dealId: event.dealId,
            milestone: event.milestone,
            detail: `the bank reported ${deposit.amount} but attested ${event.locked + event.excess} on chain`,
          });
        }
      }
    }
    events.push(row);
  }
  for await (const instruction of tables.instructions.values()) {
    if (instruction.issuedAt > dayEnd || instruction.kind === "freeze") continue;
    const where = { dealId: instruction.dealId, milestone: instruction.milestone };
    const settledBy = instruction.reports.find((report) => report.status === "settled" && report.at <= dayEnd);
    if (settledBy && instruction.chainStatus !== "confirmed") {
      breaks.push({
        code: "SETTLED_NOT_CONFIRMED",
        ...where,
        detail: `${instruction.id}: the bank reported it settled (ref ${settledBy.bankRef}) but did not confirm it on the escrow`,
      });
    }
    if (instruction.chainStatus === "confirmed" && !settledBy) {
      breaks.push({
        code: "CONFIRMED_NOT_REPORTED",
        ...where,
        detail: `${instruction.id}: confirmed on the escrow (ref ${instruction.chainRef}) but never reported settled`,
      });
    }
    if (settledBy && instruction.chainRef && settledBy.bankRef !== instruction.chainRef) {
      breaks.push({
        code: "REFERENCE_DIFFERS",
        ...where,
        detail: `${instruction.id}: reported ref ${settledBy.bankRef}, on chain ${instruction.chainRef}`,
      });
    }
    for (const row of events) {
      if (
        row.dealId === instruction.dealId &&
        row.milestone === instruction.milestone &&
        row.bankRef &&
        row.bankRef === instruction.chainRef
      ) {
        row.bankReport = { id: instruction.id, status: instruction.bankStatus, bankRef: instruction.bankRef };
      }
    }
  }
  for (const balance of balances.values()) {
    const agreement = await tables.escrows.get(balance.dealId);
    if (!agreement) continue;
    let onChain = 0;
    for (let index = 0; index < agreement.milestones.length; index++) {
      const m = await escrow.milestone(agreement.chainDealId, index);
      onChain += m.locked - m.released - m.refunded;
    }
    balance.lockedOnChain = onChain;
    // The chain answers as of now; compare only when nothing moved since the day ended.
    if (balance.locked !== balance.lockedOnChain && dayEnd >= new Date().toISOString().slice(0, 10)) {
      breaks.push({
        code: "BALANCE_DIFFERS",
        dealId: balance.dealId,
        detail: `the fund events leave ${balance.locked} locked but the escrow holds ${balance.lockedOnChain}`,
      });
    }
  }
  return {
    date,
    generatedAt: new Date().toISOString(),
    escrow: escrow.address,
    chainId: escrow.chainId.toString(),
    events,
    balances: [...balances.values()],
    breaks,
  };
}

const CSV_COLUMNS = [
  "line",
  "time",
  "deal",
  "milestone",
  "event",
  "currency",
  "locked",
  "released",
  "refunded",
  "excess",
  "bank_ref",
  "bank_report",
  "bank_status",
  "transaction",
  "block",
  "record",
  "detail",
] as const;

const cell = (value: unknown) => {
  const text = value === undefined || value === null ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The statement as one CSV table: a line per fund event, per deal balance and per break. */
export function reconciliationCsv(statement: ReconciliationStatement): string {
  type Column = (typeof CSV_COLUMNS)[number];
  const row = (values: Partial<Record<Column, unknown>>) => CSV_COLUMNS.map((column) => cell(values[column])).join(",");
  const lines = [CSV_COLUMNS.join(",")];
  for (const e of statement.events) {
    lines.push(
      row({
        line: "event",
        time: e.blockTime,
        deal: e.dealId,
        milestone: e.milestone,
        event: e.event,
        currency: e.currency,
        locked: e.locked,
        released: e.released,
        refunded: e.refunded,
        excess: e.excess,
        bank_ref: e.bankRef ?? e.reason,
        bank_report: e.bankReport?.id,
        bank_status: e.bankReport?.status,
        transaction: e.transactionHash,
        block: e.blockNumber,
        record: e.recordId,
      }),
    );
  }
  for (const b of statement.balances) {
    lines.push(
      row({
        line: "balance",
        time: statement.date,
        deal: b.dealId,
        currency: b.currency,
        locked: b.locked,
        released: b.released,
        refunded: b.refunded,
        detail: `deposited ${b.deposited}; on chain ${b.lockedOnChain}`,
      }),
    );
  }
  for (const k of statement.breaks) {
    lines.push(
      row({
        line: "break",
        time: statement.date,
        deal: k.dealId,
        milestone: k.milestone,
        event: k.code,
        detail: k.detail,
      }),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
