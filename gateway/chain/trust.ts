import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { getAddress } from "ethers";
import { parseTrustAnchor, TRUST_ANCHOR_FORMAT, type TrustAnchor } from "tech-transfer-ledger/sdk";
import type { ChainClient } from "./client";

/**
 * The gateway's own trust anchor: its chain (id and genesis hash), its registry,
 * its escrow and its receipt key. Published at `GET /v1/chain/trust` and written to
 * `DATA_DIR/trust.json` at start, for the operator and for tests. A reader who
 * does not trust the operator builds the same file from their own node and the
 * consortium's published deployment (docs/CERTIFICATE.md), never from whoever hands
 * them a certificate.
 */
export class TrustPublisher {
  private genesisHash: string | undefined;

  constructor(
    private readonly chain: ChainClient,
    private readonly receiptSigner: string,
  ) {}

  /** The trust anchor; asks the chain once for its genesis block (throws while it is away). */
  async trustAnchor(): Promise<TrustAnchor> {
    if (!this.genesisHash) {
      const genesis = await this.chain.provider.getBlock(0);
      if (!genesis?.hash) throw new Error("the chain did not return its genesis block");
      this.genesisHash = genesis.hash;
    }
    const { settings } = this.chain;
    const fromBlock = settings.deploymentBlock ?? 0;
    return parseTrustAnchor({
      format: TRUST_ANCHOR_FORMAT,
      chainId: settings.chainId.toString(),
      genesisHash: this.genesisHash,
      registries: [{ address: getAddress(settings.registryAddress.toLowerCase()), fromBlock }],
      escrows: [{ address: getAddress(settings.escrowAddress.toLowerCase()), fromBlock }],
      receiptSigners: [getAddress(this.receiptSigner.toLowerCase())],
    });
  }

  /** Writes the trust anchor to `file` (whole or not at all), retrying every few seconds while the chain is away. */
  publish(file: string, log: (message: string) => void): { stop(): void } {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const attempt = async () => {
      try {
        const text = `${JSON.stringify(await this.trustAnchor(), null, 2)}\n`;
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, text, { mode: 0o644 });
        await rename(`${file}.tmp`, file);
      } catch (error) {
        if (stopped) return;
        log(`trust anchor not written yet (${(error as Error).message.split("\n")[0]}); retrying`);
        timer = setTimeout(attempt, 5_000);
        timer.unref();
      }
    };
    void attempt();
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }
}
