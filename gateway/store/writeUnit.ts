import type { BatchOperation, Table } from "./database";

/**
 * The writes of one state change, typed by table, committed together (with the
 * record that proves the change) in one atomic, fsync'd group commit.
 *
 * @example
 * const unit = new WriteUnit().put(tables.deals, deal.id, deal);
 */
export class WriteUnit {
  readonly operations: BatchOperation[] = [];

  put<V>(table: Table<V>, key: string, value: V): this {
    this.operations.push({ type: "put", sublevel: table, key, value });
    return this;
  }

  del<V>(table: Table<V>, key: string): this {
    this.operations.push({ type: "del", sublevel: table, key });
    return this;
  }

  /** Adds operations built elsewhere (a cell's `put`, another unit's). */
  add(...operations: BatchOperation[]): this {
    this.operations.push(...operations);
    return this;
  }
}
