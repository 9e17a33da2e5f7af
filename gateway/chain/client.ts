import { FetchRequest, JsonRpcProvider, Network, Wallet, type TransactionReceipt } from "ethers";
import {
  assertSupportedRegistry,
  connectRegistry,
  AccountRegistry__factory,
  DealEscrow__factory,
} from "tech-transfer-ledger/sdk";
import type { EvidenceRegistry, EvidenceCertificate, AccountRegistry, DealEscrow } from "tech-transfer-ledger/sdk";

type Anchor = EvidenceCertificate["anchor"];
import { Finality, type FinalitySettings } from "./finality";

export interface ChainSettings {
  rpcUrl: string;
  chainId: bigint;
  registryAddress: string;
  /** The AccountRegistry (certified accounts). */
  accountsAddress: string;
  /** The DealEscrow, in which this key holds OPERATOR_ROLE (it relays the parties' signed moves). */
  escrowAddress: string;
  /** Key of the account holding the registry's ANCHORER_ROLE (and the account registry's REGISTRAR_ROLE). */
  anchorPrivateKey: string;
  /** Legacy gas price in wei; 0 on permissioned chains that charge no gas. */
  gasPrice: bigint;
  /** The block the registry was deployed in: where the escrow's and registry's logs begin (0 when unknown). */
  deploymentBlock?: number;
  /** When an anchoring block counts as final (docs/DEPLOY.md, "Finality"). */
  finality: FinalitySettings;
  /** Milliseconds before a JSON-RPC call is given up. */
  requestTimeoutMs?: number;
}

export interface ChainStatus {
  reachable: boolean;
  chainId: string;
  registry: string;
  blockNumber?: number;
  error?: string;
}

/** The anchoring account's view of the chain: send roots, read them back. */
export class ChainClient {
  readonly provider: JsonRpcProvider;
  readonly wallet: Wallet;
  readonly registry: EvidenceRegistry;
  readonly accounts: AccountRegistry;
  readonly escrow: DealEscrow;
  readonly finality: Finality;
  /** Transactions leave one at a time, so two workers never take the same nonce. */
  private sending: Promise<unknown> = Promise.resolve();

  constructor(readonly settings: ChainSettings) {
    const request = new FetchRequest(settings.rpcUrl);
    request.timeout = settings.requestTimeoutMs ?? 10_000;
    // A static network keeps ethers from probing (and logging) while the chain is
    // down: the gateway must start and accept records even then. No result cache:
    // ethers would otherwise answer a repeated call from the last 250 ms, and the
    // anchorer must see the chain as it is now (a nonce, a root just reverted).
    this.provider = new JsonRpcProvider(request, Network.from(settings.chainId), {
      staticNetwork: Network.from(settings.chainId),
      polling: true,
      pollingInterval: 250,
      batchMaxCount: 1,
      cacheTimeout: -1,
    });
    this.wallet = new Wallet(settings.anchorPrivateKey, this.provider);
    this.registry = connectRegistry(settings.registryAddress, this.wallet);
    this.accounts = AccountRegistry__factory.connect(settings.accountsAddress, this.wallet);
    this.escrow = DealEscrow__factory.connect(settings.escrowAddress, this.wallet);
    this.finality = new Finality(this.provider, settings.finality);
  }

  /** Runs `send` after every transaction sent before it has been accepted by the node. */
  private serialized<T>(send: () => Promise<T>): Promise<T> {
    const result = this.sending.then(send, send);
    this.sending = result.catch(() => undefined);
    return result;
  }

  /** Sends a transaction built by `send` (given the gas overrides) and waits until it is mined. */
  async sendAndWait(
    send: (overrides: { gasPrice: bigint; type: number }) => Promise<{ hash: string }>,
  ): Promise<TransactionReceipt> {
    const tx = await this.serialized(() => send({ gasPrice: this.settings.gasPrice, type: 0 }));
    const receipt = await this.waitMined(tx.hash);
    if (!receipt) throw new Error(`transaction ${tx.hash} is not mined yet; will look again`);
    return receipt;
  }

  get address(): string {
    return this.wallet.address;
  }

  /** Throws unless a supported registry is deployed at the configured address on the configured chain. */
  async assertReady(): Promise<void> {
    const network = await this.provider.send("eth_chainId", []);
    if (BigInt(network) !== this.settings.chainId) {
      throw new Error(`the chain endpoint serves chain ${BigInt(network)}, not ${this.settings.chainId}`);
    }
    if ((await this.provider.getCode(this.settings.registryAddress)) === "0x") {
      throw new Error(`no contract at ${this.settings.registryAddress}: was the chain reset?`);
    }
    await assertSupportedRegistry(this.registry);
  }

  /** Sends `anchorBatch(root, count)` and returns the transaction hash once the node accepted it. */
  async sendAnchor(root: string, count: number): Promise<string> {
    const tx = await this.serialized(() =>
      this.registry.anchorBatch(root, count, { gasPrice: this.settings.gasPrice, type: 0 }),
    );
    return tx.hash;
  }

  /**
   * Waits for `transactionHash` to be mined; undefined after `timeoutMs`. Polls
   * the receipt rather than waiting for the next block event: on an idle chain
   * that mines on demand no next block comes. Finality is a separate question
   * (`finality.confirm`).
   */
  async waitMined(transactionHash: string, timeoutMs = 60_000): Promise<TransactionReceipt | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.provider.getTransactionReceipt(transactionHash);
      if (receipt) {
        if (receipt.status !== 1) throw new Error(`anchoring transaction ${transactionHash} reverted`);
        return receipt;
      }
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Whether the node knows `transactionHash` (mined or waiting). */
  async knowsTransaction(transactionHash: string): Promise<boolean> {
    return (await this.provider.getTransaction(transactionHash)) !== null;
  }

  /**
   * Where `root` was anchored, read from the registry and the block that holds
   * its BatchAnchored event; undefined when it is not anchored (yet).
   */
  async findAnchor(root: string): Promise<Anchor | undefined> {
    const batch = await this.registry.batchOf(root);
    if (batch.blockNumber === 0n) return undefined;
    const blockNumber = Number(batch.blockNumber);
    const events = await this.registry.queryFilter(this.registry.filters.BatchAnchored(root), blockNumber, blockNumber);
    const event = events[0];
    if (!event) throw new Error(`root ${root} is anchored in block ${blockNumber} but its event is not there`);
    return {
      chainId: this.settings.chainId.toString(),
      registry: this.settings.registryAddress,
      transactionHash: event.transactionHash,
      blockNumber,
      blockHash: event.blockHash,
      blockTime: Number(batch.timestamp),
    };
  }

  /**
   * Every root the registry anchored from `fromBlock` on, with the block that
   * holds it: the reconciliation's view of the chain, read with a few `eth_getLogs`
   * calls (ranges of `LOG_RANGE` blocks, which public nodes accept) instead of one
   * call per batch.
   */
  async anchoredRoots(fromBlock: number): Promise<Map<string, { blockNumber: number; blockHash: string }>> {
    const head = await this.provider.getBlockNumber();
    const roots = new Map<string, { blockNumber: number; blockHash: string }>();
    const event = this.registry.getEvent("BatchAnchored");
    for (let from = Math.max(0, fromBlock); from <= head; from += LOG_RANGE) {
      const to = Math.min(head, from + LOG_RANGE - 1);
      for (const log of await this.registry.queryFilter(event, from, to)) {
        roots.set(log.args.root, { blockNumber: log.blockNumber, blockHash: log.blockHash });
      }
    }
    return roots;
  }

  async status(): Promise<ChainStatus> {
    const base = { chainId: this.settings.chainId.toString(), registry: this.settings.registryAddress };
    try {
      return { ...base, reachable: true, blockNumber: await this.provider.getBlockNumber() };
    } catch (error) {
      return { ...base, reachable: false, error: describeChainError(error) };
    }
  }

  destroy(): void {
    this.provider.destroy();
  }
}

/** Blocks per `eth_getLogs` call of the reconciliation. */
const LOG_RANGE = 5_000;

/** One line about a chain failure, without stack or request dumps (which may carry URLs with credentials). */
export function describeChainError(error: unknown): string {
  const e = error as { shortMessage?: string; code?: string; message?: string };
  const text = e.shortMessage ?? e.message ?? String(error);
  return text.split("\n")[0].slice(0, 200);
}
