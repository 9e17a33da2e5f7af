import path from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import type { SealedFields } from "tech-transfer-ledger/sdk";
import type { EvidenceJob, EvidenceMessage, ReceiptSignature } from "./evidenceThread.worker";

interface Pending {
  job: EvidenceJob;
  /** Does the job here: before the thread is up, if it stops, or if it could not. */
  here(): unknown;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/**
 * The gateway's evidence thread: the CPU-heavy parts of a record's intake that
 * need no state of the main thread, run beside the request handling, which is
 * what bounds intake (docs/BENCHMARKS.md):
 * - sealing a record's fields: a salt and a SHA-256 of the canonical JSON per
 *   field (the part of a seal that does not depend on the record's place in its
 *   subject's chain, so the recorder does it before it takes the subject's hold);
 * - a receipt's EIP-712 digest and its ECDSA signature.
 *
 * One thread for the process (every recorder and receipt signer of it shares it),
 * started on first use and kept only while it has work. Until it is up, or if it
 * stops, the work is done on the caller's thread with the same SDK functions, so
 * the results are the same either way (signatures are RFC 6979 deterministic).
 */
export class EvidenceThread {
  private static shared: EvidenceThread | undefined;
  private worker: Worker | undefined;
  private ready = false;
  private queued: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  private batches = 0;
  private keys = 0;
  /** The keys given, so that a thread started after them gets them too. */
  private readonly liveKeys = new Map<number, string>();
  private flushScheduled = false;

  private constructor(thread: boolean) {
    if (thread) this.startWorker();
  }

  /** The process's evidence thread. */
  static forProcess(): EvidenceThread {
    EvidenceThread.shared ??= new EvidenceThread(true);
    return EvidenceThread.shared;
  }

  /** One that does all its work on the caller's thread. */
  static here(): EvidenceThread {
    return new EvidenceThread(false);
  }

  /** Whether work goes to the thread now (else it is done on the caller's). */
  get threaded(): boolean {
    return this.ready;
  }

  /** Salts and commits to each field of `data` (already validated as record data). */
  sealFields(data: Record<string, unknown>, sealHere: () => SealedFields): Promise<SealedFields> {
    return this.run({ kind: "seal", data }, sealHere) as Promise<SealedFields>;
  }

  /** Gives the thread a signing key; `sign` then names it by the number returned. */
  addKey(privateKey: string): number {
    const key = this.keys++;
    this.liveKeys.set(key, privateKey);
    this.post({ addKey: key, privateKey });
    return key;
  }

  /** Makes the thread forget a key. */
  dropKey(key: number): void {
    this.liveKeys.delete(key);
    this.post({ dropKey: key });
  }

  /**
   * Signs a receipt with key `key` (see `addKey`): on its own, or together with the
   * other receipts of the same message (receipt format @2); `signHere` signs on
   * the caller's thread.
   */
  sign(
    job: Omit<Extract<EvidenceJob, { kind: "sign" }>, "kind">,
    signHere: () => ReceiptSignature,
  ): Promise<ReceiptSignature> {
    return this.run({ kind: "sign", ...job }, signHere) as Promise<ReceiptSignature>;
  }

  private run(job: EvidenceJob, here: () => unknown): Promise<unknown> {
    if (!this.ready) return new Promise((resolve) => resolve(here()));
    return new Promise((resolve, reject) => {
      this.queued.push({ job, here, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private post(message: EvidenceMessage): void {
    // A key given before the thread is up waits in the thread's message port.
    this.worker?.postMessage(message);
  }

  private flush(): void {
    this.flushScheduled = false;
    // One batch at a time: what arrives while the thread works goes in the next,
    // so under load a message carries many jobs (each message has a fixed cost).
    if (this.inFlight.size > 0 && this.worker) return;
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 0) return;
    if (!this.worker) return doHere(queued);
    const batch = this.batches++;
    this.inFlight.set(batch, queued);
    if (this.inFlight.size === 1) this.worker.ref();
    this.post({ batch, jobs: queued.map((entry) => entry.job) });
  }

  private startWorker(): void {
    workerScript().then(
      (script) => this.launch(script),
      // Without the script, the work is done here: the same functions, the same results.
      () => undefined,
    );
  }

  private launch(script: string): void {
    let worker: Worker;
    try {
      worker = new Worker(script, { eval: true });
    } catch {
      return;
    }
    for (const [key, privateKey] of this.liveKeys) worker.postMessage({ addKey: key, privateKey });
    worker.unref();
    worker.on("message", (message: { ready?: boolean; batch?: number; results?: unknown[] }) => {
      if (message.ready) {
        this.ready = true;
        return;
      }
      if (message.batch === undefined || !message.results) return;
      const pending = this.inFlight.get(message.batch) ?? [];
      this.inFlight.delete(message.batch);
      if (this.inFlight.size === 0) worker.unref();
      pending.forEach((entry, i) => {
        const result = message.results![i];
        if (result !== undefined && result !== null) entry.resolve(result);
        else doHere([entry]);
      });
      this.flush();
    });
    const fallBack = () => this.stopWorker();
    worker.on("error", fallBack);
    worker.on("exit", fallBack);
    this.worker = worker;
  }

  /** Works here from now on, including what the thread was given and did not answer. */
  private stopWorker(): void {
    if (!this.worker) return;
    this.worker = undefined;
    this.ready = false;
    for (const pending of this.inFlight.values()) doHere(pending);
    this.inFlight.clear();
    doHere(this.queued);
    this.queued = [];
  }
}

function doHere(pending: Pending[]): void {
  for (const entry of pending) {
    try {
      entry.resolve(entry.here());
    } catch (error) {
      entry.reject(error);
    }
  }
}

const WORKER_FILE = path.join(__dirname, "evidenceThread.worker.ts");

let script: Promise<string> | undefined;

/**
 * The thread's code: the worker and the SDK modules it runs, bundled into one
 * plain script by esbuild (as the verify page is), once per process. The
 * gateway runs TypeScript through tsx, but tsx in the thread would cost the
 * thread about 10 MB of its memory (issue 14's RSS budget) for two functions.
 * The native secp256k1 binding stays outside, required from the worker's folder.
 */
function workerScript(): Promise<string> {
  script ??= build({
    entryPoints: [WORKER_FILE],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    target: "node20",
    external: ["secp256k1"],
    logLevel: "silent",
  }).then(
    (result) =>
      `(function (require) {\n${result.outputFiles[0].text}\n})(require("node:module").createRequire(${JSON.stringify(WORKER_FILE)}));`,
  );
  return script;
}
