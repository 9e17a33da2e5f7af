import { describeChainError } from "../chain/client";

export interface RetryLoopOptions {
  /** What the loop does, for log lines ("anchoring", "account registry updates"). */
  name: string;
  /** How long to wait when a step found nothing to do. */
  pollMs: number;
  /** First and longest wait after a failed step; the wait doubles in between. */
  minBackoffMs: number;
  maxBackoffMs: number;
  log?: (message: string) => void;
}

export interface RetryLoopStatus {
  lastError?: { message: string; at: string };
  /** When the steps started failing, while they are failing. */
  failingSince?: string;
}

/**
 * Runs `step` again and again in the background: at once while it finds work,
 * after `pollMs` when it does not, and with doubling backoff while it fails (a
 * chain away, a node refusing). The background workers of the gateway (anchoring,
 * the account registry) share it, so they fail and recover the same way.
 */
export class RetryLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private backoffMs: number;
  private lastError: RetryLoopStatus["lastError"];
  private failingSince: string | undefined;

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly options: RetryLoopOptions,
  ) {
    this.backoffMs = options.minBackoffMs;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the step in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Cuts a wait short: there is work. */
  poke(): void {
    this.wake?.();
  }

  status(): RetryLoopStatus {
    return { lastError: this.lastError, failingSince: this.failingSince };
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked: boolean;
      try {
        worked = await this.step();
      } catch (error) {
        const message = describeChainError(error);
        this.lastError = { message, at: new Date().toISOString() };
        if (!this.failingSince) {
          this.failingSince = this.lastError.at;
          this.options.log?.(`${this.options.name} failed, will retry with backoff: ${message}`);
        }
        await this.sleep(this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
        continue;
      }
      if (this.failingSince) this.options.log?.(`${this.options.name} recovered (failing since ${this.failingSince})`);
      this.failingSince = undefined;
      this.backoffMs = this.options.minBackoffMs;
      if (!worked) await this.sleep(this.options.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
