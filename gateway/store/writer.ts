import path from "node:path";
import { Worker } from "node:worker_threads";

/** One write of a batch, encoded for LevelDB: the table's prefix joined to the key, the value in its table's encoding. */
export interface EncodedOperation {
  type: "put" | "del";
  key: string;
  value?: string;
}

interface InFlight {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The store's writer thread (writer.worker.cjs): applies encoded batches to the
 * database the main thread has open, from a thread of its own. Handing LevelDB a
 * batch (copying every key and value into its write batch) cost the main thread
 * more than anything else in a record's intake (docs/BENCHMARKS.md); here it
 * runs beside the request handling. A batch is answered once LevelDB has written
 * it, fsync'd when `sync` is asked, so the main thread's reads see it from then on.
 */
export class StoreWriter {
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 0;
  private stopped = false;
  private closed: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (message: { id?: number; error?: { message: string; code?: string } }) => {
      if (message.id === undefined) return;
      const pending = this.inFlight.get(message.id);
      this.inFlight.delete(message.id);
      if (this.inFlight.size === 0) worker.unref();
      if (!message.error) pending?.resolve();
      else pending?.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
    });
    const stop = (error?: unknown) => this.stop(error);
    worker.on("error", stop);
    worker.on("exit", () => stop());
  }

  /**
   * Starts the writer thread on the database at `location` (which the caller has
   * open with `multithreading`); undefined where the thread cannot start or open it,
   * and the caller then writes on its own thread.
   */
  static async start(location: string): Promise<StoreWriter | undefined> {
    let worker: Worker;
    try {
      worker = new Worker(path.join(__dirname, "writer.worker.cjs"), { workerData: { location } });
    } catch {
      return undefined;
    }
    const ready = await new Promise<boolean>((resolve) => {
      worker.once("message", (message: { ready?: boolean }) => resolve(message.ready === true));
      worker.once("error", () => resolve(false));
      worker.once("exit", () => resolve(false));
    });
    if (!ready) {
      await worker.terminate();
      return undefined;
    }
    worker.unref();
    return new StoreWriter(worker);
  }

  /** Whether the thread still takes writes (it stops on close, or if it fails). */
  get running(): boolean {
    return !this.stopped;
  }

  /** Writes `operations` atomically; resolves once LevelDB has them (on disk, with `sync`). */
  write(operations: EncodedOperation[], sync: boolean): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("the store's writer thread has stopped"));
    const id = this.nextId++;
    const written = new Promise<void>((resolve, reject) => this.inFlight.set(id, { resolve, reject }));
    // Held while a write is in flight, so the process waits for it; idle, the thread keeps nothing alive.
    if (this.inFlight.size === 1) this.worker.ref();
    const { bytes, layout } = pack(operations);
    // Handed over, not copied: a message's cost grows with what is copied into it.
    this.worker.postMessage({ id, bytes, layout, sync }, [bytes.buffer as ArrayBuffer, layout.buffer as ArrayBuffer]);
    return written;
  }

  /** Lets the writes in flight finish, closes the thread's handle of the database, and stops the thread. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (!this.stopped) {
        await Promise.allSettled(
          [...this.inFlight.values()].map(
            (entry) =>
              new Promise((done) => {
                const { resolve, reject } = entry;
                entry.resolve = () => (resolve(), done(undefined));
                entry.reject = (error) => (reject(error), done(undefined));
              }),
          ),
        );
        this.worker.ref();
        await new Promise<void>((resolve) => {
          this.worker.on("message", (message: { closed?: boolean }) => message.closed && resolve());
          this.worker.once("exit", () => resolve());
          this.worker.postMessage({ close: true });
        });
      }
      this.stopped = true;
      await this.worker.terminate();
    })();
    return this.closed;
  }

  /**
   * The thread is gone: writes it was given and did not answer are refused (they
   * may or may not be on disk, as with any write that fails), and the caller
   * writes on its own thread from then on.
   */
  private stop(error?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    const refusal = new Error("the store's writer thread stopped before answering", { cause: error });
    for (const pending of this.inFlight.values()) pending.reject(refusal);
    this.inFlight.clear();
  }
}

/**
 * The operations as one buffer of UTF-8 (each key, then its value) and a layout
 * of three numbers per operation: put (0) or del (1), where its key ends, where
 * its value ends. Level writes a string as its UTF-8 bytes, so the thread stores
 * exactly what a batch of the strings would.
 */
function pack(operations: EncodedOperation[]): { bytes: Uint8Array; layout: Uint32Array } {
  let size = 0;
  for (const operation of operations) {
    size += Buffer.byteLength(operation.key, "utf8");
    if (operation.value !== undefined) size += Buffer.byteLength(operation.value, "utf8");
  }
  // Its own memory (not the shared pool), so that it can be handed to the thread.
  const bytes = Buffer.allocUnsafeSlow(size);
  const layout = new Uint32Array(operations.length * 3);
  let at = 0;
  operations.forEach((operation, i) => {
    at += bytes.write(operation.key, at, "utf8");
    layout[3 * i] = operation.type === "put" ? 0 : 1;
    layout[3 * i + 1] = at;
    if (operation.value !== undefined) at += bytes.write(operation.value, at, "utf8");
    layout[3 * i + 2] = at;
  });
  return { bytes, layout };
}
