import type { JsonRpcProvider } from "ethers";

export interface ChainMonitorOptions {
  /** How often the chain's head is read. */
  pollMs?: number;
  /** The supervised local chain's restarts, when `npm start` runs one. */
  restarts?: () => { count: number; lastAt?: string };
  log?: (message: string) => void;
}

/**
 * Watches the chain's head so the gateway notices, within `pollMs`, that the
 * chain answers again after an outage or came back from older state (head lower,
 * or another block at the same height): the background workers then stop waiting
 * out their retry backoff, and the anchorer checks every anchored batch at once.
 * The workers cannot notice by themselves: an idle anchorer does not call the chain.
 */
export class ChainMonitor {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private reachable: boolean | undefined;
  private head: { number: number; hash: string } | undefined;
  private downSince: string | undefined;
  private restartsSeen = 0;
  private readonly listeners: Array<(reason: string) => void> = [];
  private readonly options: Required<ChainMonitorOptions>;

  constructor(
    private readonly provider: JsonRpcProvider,
    options: ChainMonitorOptions = {},
  ) {
    this.options = {
      pollMs: options.pollMs ?? 500,
      log: options.log ?? (() => {}),
      restarts: options.restarts ?? (() => ({ count: 0 })),
    };
  }

  /** Calls `listener(reason)` each time the chain answers again or restarted from older state. */
  onReconnect(listener: (reason: string) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    const tick = () => {
      this.polling = this.poll().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.pollMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** Since when the chain has not answered (while it does not), and the local chain's restarts. */
  status(): { downSince?: string; restarts: { count: number; lastAt?: string } } {
    return { downSince: this.downSince, restarts: this.options.restarts() };
  }

  private async poll(): Promise<void> {
    let now: { number: number; hash: string };
    let replaced = false;
    try {
      const latest = await this.provider.getBlock("latest");
      if (!latest?.hash) return;
      now = { number: latest.number, hash: latest.hash };
      // A restart from older state quicker than one poll shows only as another
      // block at a height seen before.
      const before = this.head;
      if (before && now.number > before.number) {
        replaced = (await this.provider.getBlock(before.number))?.hash !== before.hash;
      } else if (before) {
        replaced = now.number < before.number || now.hash !== before.hash;
      }
    } catch {
      if (this.reachable !== false) this.downSince = new Date().toISOString();
      this.reachable = false;
      return;
    }
    const before = this.head;
    const wasDown = this.reachable === false;
    const restarts = this.options.restarts().count;
    const restarted = restarts > this.restartsSeen;
    this.restartsSeen = restarts;
    this.reachable = true;
    this.head = now;
    if (wasDown) {
      this.options.log(`the chain answers again (down since ${this.downSince}, head block ${now.number})`);
      this.downSince = undefined;
      this.emit("the chain answers again");
    } else if (restarted || replaced) {
      this.options.log(
        restarted
          ? "the local chain was restarted"
          : `the chain's block ${before!.number} is not the one seen before: it restarted from older state`,
      );
      this.emit("the chain restarted");
    }
  }

  private emit(reason: string): void {
    for (const listener of this.listeners) listener(reason);
  }
}
