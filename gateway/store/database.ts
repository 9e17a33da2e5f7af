import { Level } from "level";
import { StoreWriter, type EncodedOperation } from "./writer";

/** A table: one sublevel of the database, keyed by string, holding values of one type. */
export type Table<V> = ReturnType<typeof tableOf<V>>;

function tableOf<V>(db: Level<string, unknown>, name: string, encoding: "json" | "utf8") {
  return db.sublevel<string, V>(name, { valueEncoding: encoding });
}

/** One write of an atomic multi-table batch (`Database.write`, `WriteUnit`). */
export type BatchOperation =
  { type: "put"; sublevel: unknown; key: string; value: unknown } | { type: "del"; sublevel: unknown; key: string };

/**
 * A typed entry under one fixed key of a shared table: the platform's single
 * values (a cursor, a high-water mark) each get a type instead of being read
 * back from an untyped table with casts.
 */
export class Cell<V> {
  constructor(
    private readonly table: Table<unknown>,
    readonly key: string,
  ) {}

  async get(): Promise<V | undefined> {
    return (await this.table.get(this.key)) as V | undefined;
  }

  put(value: V): BatchOperation {
    return { type: "put", sublevel: this.table, key: this.key, value };
  }

  del(): BatchOperation {
    return { type: "del", sublevel: this.table, key: this.key };
  }
}

/**
 * A typed view of the entries of a shared table whose keys start with `prefix`:
 * a family of small values (one per deal and milestone, say) kept under its own
 * prefix, each read back with its type.
 */
export class Keyed<V> {
  constructor(
    private readonly table: Table<unknown>,
    readonly prefix: string,
  ) {}

  async get(key: string): Promise<V | undefined> {
    return (await this.table.get(this.prefix + key)) as V | undefined;
  }

  put(key: string, value: V): BatchOperation {
    return { type: "put", sublevel: this.table, key: this.prefix + key, value };
  }

  del(key: string): BatchOperation {
    return { type: "del", sublevel: this.table, key: this.prefix + key };
  }
}

/**
 * The gateway's working store: one Level database on disk. It knows nothing of
 * the domains: each declares its own tables in its `repository.ts` with
 * `table()` and `cell()`, and writes go through `write` (or the group commit).
 * The chain is the witness; this is where the records live.
 */
export class Database {
  readonly level: Level<string, unknown>;
  private readonly names = new Set<string>();
  /** Single values under fixed keys (`cell`, `keyed`); the table's name is the one it had on disk. */
  private readonly cells: Table<unknown>;

  /** Applies batches from a thread of its own (see `StoreWriter`), where it runs. */
  private writer: StoreWriter | undefined;

  constructor(
    readonly location: string,
    private readonly options: DatabaseOptions = {},
  ) {
    // `multithreading`: the writer thread opens the same database, sharing this handle.
    this.level = new Level<string, unknown>(location, { valueEncoding: "json", multithreading: true } as never);
    this.cells = this.table<unknown>("meta");
  }

  /**
   * Declares the table `name`. A name is declared once: two domains sharing a
   * table would be two owners of the same data.
   */
  table<V>(name: string, encoding: "json" | "utf8" = "json"): Table<V> {
    this.claim(name);
    return tableOf<V>(this.level, name, encoding);
  }

  /** Declares the single value stored under `key`. */
  cell<V>(key: string): Cell<V> {
    this.claim(`cell:${key}`);
    return new Cell<V>(this.cells, key);
  }

  /** Declares the family of values stored under keys that start with `prefix` (ending in `:`). */
  keyed<V>(prefix: string): Keyed<V> {
    this.claim(`keyed:${prefix}`);
    return new Keyed<V>(this.cells, prefix);
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`"${name}" is declared twice`);
    this.names.add(name);
  }

  /** Whether writes are applied from the writer thread now (else on this one). */
  get threaded(): boolean {
    return this.writer?.running === true;
  }

  async open(): Promise<void> {
    await this.level.open();
    if (this.options.writerThread !== false) this.writer = await StoreWriter.start(this.location);
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.writer = undefined;
    await this.level.close();
  }

  /**
   * Applies `operations` atomically; with `sync` the call returns only once they
   * are on disk (fsync), which is what "acknowledged" means here.
   */
  async write(operations: BatchOperation[], { sync = true }: { sync?: boolean } = {}): Promise<void> {
    if (operations.length === 0) return;
    if (this.writer?.running) return this.writer.write(encodeOperations(operations, this.level), sync);
    await this.level.batch(operations as never, { sync });
  }

  /** The last key of a table in key order, or undefined when it is empty. */
  async lastKey(table: { keys(options: { reverse: boolean; limit: number }): AsyncIterable<string> }) {
    for await (const key of table.keys({ reverse: true, limit: 1 })) return key;
    return undefined;
  }
}

/** How a database is opened. */
export interface DatabaseOptions {
  /** Apply writes from a thread of their own (default); false writes on the caller's thread. */
  writerThread?: boolean;
}

/**
 * The operations as LevelDB stores them: each key under its table's prefix, each
 * value in its table's encoding, exactly what Level's own batch would write. A
 * put of nothing is refused as Level refuses it.
 */
function encodeOperations(operations: BatchOperation[], root: unknown): EncodedOperation[] {
  return operations.map((operation) => {
    const table = (operation.sublevel ?? root) as EncodingTable;
    const key = table.prefix + table.keyEncoding().encode(operation.key);
    if (operation.type === "del") return { type: "del", key };
    if (operation.value === null || operation.value === undefined) {
      throw Object.assign(new Error("a value cannot be null or undefined"), { code: "LEVEL_INVALID_VALUE" });
    }
    const encoding = table.valueEncoding();
    if (encoding.format !== "utf8") throw new Error(`table ${table.prefix} stores ${encoding.format}, not text`);
    return { type: "put", key, value: encoding.encode(operation.value) as string };
  });
}

/** What `encodeOperations` reads of a table (an abstract-level sublevel). */
interface EncodingTable {
  prefix: string;
  keyEncoding(): { encode(key: string): string };
  valueEncoding(): { format: string; encode(value: unknown): unknown };
}

/**
 * Opens the database at `location`.
 *
 * @example
 * const database = await openDatabase(path.join(dataDir, "store"));
 */
export async function openDatabase(location: string, options: DatabaseOptions = {}): Promise<Database> {
  const database = new Database(location, options);
  await database.open();
  return database;
}

/** Zero-padded decimal, so that Level's byte order is numeric order. */
export function pad(value: number, width = 16): string {
  return value.toString().padStart(width, "0");
}
