import type { BatchOperation } from "../store/database";
import { RetryLoop } from "../util/retryLoop";
import type { Notifier } from "./notifier";
import type { NotificationRepository } from "./repository";
import type { Notification, PendingReminder } from "./types";

const pad = (seconds: number) => String(Math.max(0, Math.floor(seconds))).padStart(12, "0");

export interface ReminderOptions {
  /** REMINDER_LEAD_SECONDS: how long before a deadline its reminder goes out (default 24 h). */
  leadSeconds: number;
  /** How often due reminders are looked for. */
  pollMs: number;
  log?: (message: string) => void;
  /** The gateway's clock, for deadlines that are not on chain. */
  clock?: () => Date;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = { leadSeconds: 86_400, pollMs: 5_000 };

/**
 * Reminders a set time before a deadline lapses (an inspection period, a
 * ruling, a delivery date, a royalty payment). Each is kept in the store until
 * it goes out, so a restart loses none, and it is struck off in the same write
 * that puts it in the inboxes, so none goes out twice. A deadline on chain is
 * watched on the escrow's own clock (block time less the time it was paused),
 * which is what decides when the period lapses; others on the gateway's clock.
 */
export class Reminders {
  private readonly loop: RetryLoop;
  private readonly options: ReminderOptions;
  private clockFailing = false;

  constructor(
    private readonly tables: NotificationRepository,
    private readonly notifier: Notifier,
    /** The escrow's clock in seconds. */
    private readonly escrowClock: () => Promise<number>,
    options: Partial<ReminderOptions> = {},
  ) {
    this.options = { ...DEFAULT_REMINDER_OPTIONS, ...options };
    this.loop = new RetryLoop(() => this.sendDue(), {
      name: "reminders",
      pollMs: this.options.pollMs,
      minBackoffMs: this.options.pollMs,
      maxBackoffMs: Math.max(this.options.pollMs * 8, 30_000),
      log: this.options.log,
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Looks for due reminders now (the chain's clock moved). */
  poke(): void {
    this.loop.poke();
  }

  get leadSeconds(): number {
    return this.options.leadSeconds;
  }

  /**
   * Schedules the reminder of the deadline `key` (replacing one scheduled under
   * the same key): `leadSeconds` before `deadline`, or halfway from `from` to
   * it when the period is shorter than the lead. Nothing is scheduled for a
   * deadline already past.
   */
  async schedule(input: Omit<PendingReminder, "dueAt"> & { from: number }): Promise<void> {
    const { from, ...reminder } = input;
    const deadline = Date.parse(reminder.deadline) / 1000;
    if (!(deadline > from) || reminder.userIds.length === 0) return;
    const dueAt =
      deadline - this.options.leadSeconds > from ? deadline - this.options.leadSeconds : (from + deadline) / 2;
    const entryKey = `${pad(dueAt)}\x00${reminder.key}`;
    await this.tables.database.write([
      ...(await this.cancelOperations(reminder.key)),
      { type: "put", sublevel: this.tables.reminders, key: entryKey, value: { ...reminder, dueAt: Math.floor(dueAt) } },
      { type: "put", sublevel: this.tables.reminderKeys, key: reminder.key, value: entryKey },
    ]);
    this.loop.poke();
  }

  /** Strikes off the reminders whose keys start with `prefix` (`dealId:milestone:`): their periods ended. */
  async cancel(prefix: string): Promise<void> {
    const operations: BatchOperation[] = [];
    for await (const [key, entryKey] of this.tables.reminderKeys.iterator({ gte: prefix, lt: `${prefix}\xff` })) {
      operations.push(
        { type: "del", sublevel: this.tables.reminders, key: entryKey },
        { type: "del", sublevel: this.tables.reminderKeys, key },
      );
    }
    if (operations.length) await this.tables.database.write(operations);
  }

  /** Reminders not sent yet, soonest first (for tests and tools). */
  async pending(): Promise<PendingReminder[]> {
    const all: PendingReminder[] = [];
    for await (const reminder of this.tables.reminders.values()) all.push(reminder);
    return all;
  }

  private async cancelOperations(key: string): Promise<BatchOperation[]> {
    const entryKey = await this.tables.reminderKeys.get(key);
    return entryKey ? [{ type: "del", sublevel: this.tables.reminders, key: entryKey }] : [];
  }

  /** Sends every reminder that is due; true when it sent any. */
  private async sendDue(): Promise<boolean> {
    const gatewayNow = (this.options.clock ?? (() => new Date()))().getTime() / 1000;
    let any = false;
    for await (const _ of this.tables.reminders.keys({ limit: 1 })) any = true;
    if (!any) return false;
    // A chain away holds up only the reminders on its clock.
    const escrowNow = await this.escrowClock().then(
      (now) => {
        this.clockFailing = false;
        return now;
      },
      (error: Error) => {
        // Said once per outage, not at every pass.
        if (!this.clockFailing) this.options.log?.(`reminders on the escrow's clock wait: ${error.message}`);
        this.clockFailing = true;
        return undefined;
      },
    );
    const horizon = Math.max(gatewayNow, escrowNow ?? 0);
    let sent = false;
    for await (const [entryKey, reminder] of this.tables.reminders.iterator({ lt: pad(horizon + 1) })) {
      const now = reminder.clock === "escrow" ? escrowNow : gatewayNow;
      if (now === undefined || reminder.dueAt > now) continue;
      const prepared = await Promise.all(
        reminder.userIds.map((userId) => this.notifier.prepare(userId, reminder.notification)),
      );
      const entries: Notification[] = prepared.map((p) => p.entry);
      await this.tables.database.write([
        ...prepared.flatMap((p) => p.operations),
        { type: "del", sublevel: this.tables.reminders, key: entryKey },
        { type: "del", sublevel: this.tables.reminderKeys, key: reminder.key },
      ]);
      this.notifier.written(entries);
      sent = true;
    }
    return sent;
  }
}
