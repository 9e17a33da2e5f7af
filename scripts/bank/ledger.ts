import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** What the bank system remembers: so that nothing is paid twice, whatever arrives twice. */
export interface BankBooks {
  /** Webhook ids already handled. */
  webhooks: string[];
  /** Highest version seen per instruction id: an older version arriving late is dropped. */
  versions: Record<string, number>;
  /** Payments made per instruction id, with their reference. */
  payments: Record<string, { bankRef: string; release: number; refund: number; currency: string; at: string }>;
}

/**
 * The bank's own books, in a JSON file replaced atomically on every change.
 * Only the `serve` process writes it.
 */
export class BankLedger {
  private saving: Promise<void> = Promise.resolve();
  private writes = 0;

  private constructor(
    private readonly file: string,
    readonly books: BankBooks,
  ) {}

  static async open(dir: string): Promise<BankLedger> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, "ledger.json");
    const books: BankBooks = existsSync(file)
      ? JSON.parse(await readFile(file, "utf8"))
      : { webhooks: [], versions: {}, payments: {} };
    return new BankLedger(file, books);
  }

  /** A fresh reference: `<kind>-<date>-<random>`, unique without a counter shared between processes. */
  static reference(kind: string): string {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
    return `${kind}-${date}-${randomBytes(4).toString("hex").toUpperCase()}`;
  }

  /** Writes the books; saves run one after the other (a webhook and a payment may save at once). */
  save(): Promise<void> {
    const run = this.saving.then(() => this.write());
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    const temporary = `${this.file}.${process.pid}.${this.writes++}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.books, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.file);
  }
}
