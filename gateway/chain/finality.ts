import { open, rename } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { JsonRpcProvider } from "ethers";
import type { EvidenceCertificate } from "tech-transfer-ledger/sdk";

type Anchor = EvidenceCertificate["anchor"];

/**
 * When a block counts as final, per kind of chain:
 *
 * - `depth`: once `depth` blocks are built on it. QBFT (Besu) has immediate
 *   finality, so `0` there: a block, once committed, is never replaced.
 *   Chains without it (a PoS network, a PoA clique) want a depth.
 * - `localState`: the local one-machine chain (anvil) keeps its state in a file
 *   and can lose its last second to a `kill -9`. A block counts as final once
 *   the gateway has asked the node for its state (`anvil_dumpState`) after the
 *   block was mined and written that state durably itself (fsync, rename, fsync
 *   of the folder) to `stateFile`, from which the supervisor restarts the chain.
 */
export type FinalitySettings = { kind: "depth"; depth: number } | { kind: "localState"; stateFile: string };

/** What became of a block that was asked to be final. */
export type FinalityOutcome = "final" | "pending" | "lost";

/** Decides whether anchors are final, and for the local chain makes them so. */
export class Finality {
  /** The dump being written now; others wait for it and then write their own. */
  private dumping: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly provider: JsonRpcProvider,
    readonly settings: FinalitySettings,
  ) {}

  /** One line for /health and the docs. */
  describe(): string {
    return this.settings.kind === "depth"
      ? this.settings.depth === 0
        ? "immediate (a mined block is final, as under QBFT)"
        : `${this.settings.depth} block(s) built on the anchoring block`
      : "the local chain's state holding the block is written to disk";
  }

  /**
   * Whether `anchor`'s block is final now; for the local chain, writes the
   * chain's state durably first. `lost` when the chain no longer has that block
   * (the node restarted from older state): the batch must be anchored again.
   */
  async confirm(anchor: Anchor): Promise<FinalityOutcome> {
    if (!(await this.holds(anchor))) return "lost";
    if (this.settings.kind === "depth") {
      const head = await this.provider.getBlockNumber();
      return head - anchor.blockNumber >= this.settings.depth ? "final" : "pending";
    }
    // Always a fresh dump: a dump taken before a restart may have held another
    // block at the same height.
    await this.writeState(this.settings.stateFile);
    // The block was there before the dump and is there after it: no restart from
    // older state came in between, so the state written holds it.
    return (await this.holds(anchor)) ? "final" : "lost";
  }

  /** Whether the chain's block at the anchor's height is the anchor's block. */
  private async holds(anchor: Anchor): Promise<boolean> {
    const block = await this.provider.getBlock(anchor.blockNumber);
    return block?.hash === anchor.blockHash;
  }

  /** Asks the node for its state and writes it to `file` so that a crash leaves either the old file or the new. */
  private writeState(file: string): Promise<void> {
    const next = this.dumping.then(async () => {
      const json = await unzip(Buffer.from((await this.dumpState()).replace(/^0x/, ""), "hex"));
      await writeDurably(file, json);
    });
    this.dumping = next.catch(() => undefined);
    return next;
  }

  /**
   * `anvil_dumpState`, asked with a plain request: the answer holds the whole
   * chain's state (it grows with every batch), and ethers decodes an answer's text
   * in JavaScript on the request thread, a character at a time, where `fetch`
   * decodes it natively. Unzipped on libuv's threads for the same reason.
   */
  private async dumpState(): Promise<string> {
    const response = await fetch(this.provider._getConnection().url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_dumpState", params: [] }),
    });
    const answer = (await response.json()) as { result?: string; error?: { message?: string } };
    if (typeof answer.result !== "string") {
      throw new Error(`anvil_dumpState failed: ${answer.error?.message ?? `HTTP ${response.status}`}`);
    }
    return answer.result;
  }
}

const unzip = promisify(gunzip);

/** Writes `bytes` to `file` through a temporary file, fsync and rename, then fsyncs the folder. */
export async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const folder = await open(path.dirname(file), "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
