// Certificate verification figures for `npm run bench:evidence` (docs/BENCHMARKS.md):
// offline (commitments, proof, and the trust anchor's chain and registry) per second,
// and the JSON-RPC calls one online verification makes.
import { JsonRpcProvider, NonceManager, Wallet, type JsonRpcPayload, type JsonRpcResult } from "ethers";
import {
  buildCertificate,
  buildMerkleTree,
  connectRegistry,
  sealRecord,
  trustAnchorOf,
  verifyCertificate,
  verifyCertificateOffline,
  ZERO_HASH,
  type EvidenceCertificate,
  type TrustAnchor,
} from "../../sdk";
import { trustProblemOf } from "../../sdk/certificate/verifyCertificate";
import { deployRegistry } from "../../gateway/chain/deploy";
import { startLocalChain } from "../../gateway/chain/localChain";
import { freePortNear } from "../lib/ports";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `size` sealed records of four fields, as the escrow watcher records them. */
function records(size: number) {
  return Array.from({ length: size }, (_, i) =>
    sealRecord({
      header: {
        v: 1,
        id: `00000000-0000-4000-8000-${i.toString().padStart(12, "0")}`,
        kind: "escrow.event",
        subject: `deal:${i % 50}`,
        seq: i,
        prev: ZERO_HASH,
        recordedAt: new Date().toISOString(),
      },
      data: { amount: 100_000 + i, currency: "CNY", event: "deposit.locked", reference: `BANK-${i}` },
    }),
  );
}

/**
 * Offline verification per second: every step a certificate allows without a chain
 * (format, fields, record commitment, proof) plus the trust anchor's checks of its
 * chain and registry; the plain offline checks are measured beside it in the same run.
 */
export function offlineVerification(): void {
  const size = 1024;
  const sealed = records(size);
  const tree = buildMerkleTree(sealed.map((r) => r.commitment));
  const registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const anchor = {
    chainId: "31337",
    registry,
    transactionHash: `0x${"ab".repeat(32)}`,
    blockNumber: 2,
    blockHash: `0x${"cd".repeat(32)}`,
    blockTime: 1_790_000_000,
  };
  const trust = trustAnchorOf({ chainId: "31337", registry });
  const certificates: EvidenceCertificate[] = sealed.map((record, i) =>
    JSON.parse(JSON.stringify(buildCertificate({ record, merkle: { root: tree.root, proof: tree.proof(i) }, anchor }))),
  );
  const count = 5000;
  const run = (check: (c: EvidenceCertificate) => boolean) => {
    const rates: number[] = [];
    for (let round = 0; round < 7; round++) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        if (!check(certificates[i % size])) throw new Error("a valid certificate did not verify");
      }
      rates.push(count / (Number(process.hrtime.bigint() - started) / 1e9));
    }
    return rates;
  };
  const plain = run((c) => verifyCertificateOffline(c).valid);
  const trusted = run((c) => {
    const result = verifyCertificateOffline(c);
    return result.valid && trustProblemOf(result.certificate!, trust) === undefined;
  });
  console.log(`\n## Offline certificate verification (4 disclosed fields, proof of 10 nodes)\n`);
  console.log("| checks | median certificates/s | min | max |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const [label, rates] of [
    ["format, fields, record, proof", plain],
    ["the same plus the trust anchor's chain and registry", trusted],
  ] as const) {
    console.log(
      `| ${label} | ${median(rates).toFixed(0)} | ${Math.min(...rates).toFixed(0)} | ${Math.max(...rates).toFixed(0)} |`,
    );
  }
  console.log(
    `\nratio with trust checks / without: ${(median(trusted) / median(plain)).toFixed(3)} (7 rounds of ${count})`,
  );
}

/** A provider that counts the JSON-RPC calls it makes. */
class CountingProvider extends JsonRpcProvider {
  calls: string[] = [];
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    for (const p of Array.isArray(payload) ? payload : [payload]) this.calls.push(p.method);
    return super._send(payload);
  }
}

/** JSON-RPC calls of online verification on a local chain: the first certificate, then each next one. */
export async function onlineVerification(): Promise<void> {
  const chain = await startLocalChain({ port: await freePortNear(19745) });
  try {
    const key = Wallet.createRandom().privateKey;
    const deployment = await deployRegistry({
      rpcUrl: chain.rpcUrl,
      privateKey: key,
      bank: Wallet.createRandom().address,
      gasPrice: 0n,
    });
    const sender = new JsonRpcProvider(chain.rpcUrl, undefined, { cacheTimeout: -1 });
    const registry = connectRegistry(deployment.registry, new NonceManager(new Wallet(key, sender)));
    const sealed = records(16);
    const tree = buildMerkleTree(sealed.map((r) => r.commitment));
    const receipt = (await (await registry.anchorBatch(tree.root, sealed.length, { gasPrice: 0, type: 0 })).wait())!;
    const block = (await sender.getBlock(receipt.blockNumber))!;
    const anchor = {
      chainId: deployment.chainId,
      registry: deployment.registry,
      transactionHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      blockHash: block.hash!,
      blockTime: block.timestamp,
    };
    const genesis = (await sender.getBlock(0))!.hash!;
    const trust: TrustAnchor = {
      ...trustAnchorOf({ chainId: deployment.chainId, registry: deployment.registry }),
      genesisHash: genesis,
      registries: [{ address: deployment.registry, fromBlock: deployment.blockNumber }],
    };
    // As verifyCertificate makes its own for an rpcUrl: the network asked once.
    const provider = new CountingProvider(chain.rpcUrl, undefined, {
      batchMaxCount: 1,
      cacheTimeout: -1,
      staticNetwork: true,
    });
    const perCertificate: number[] = [];
    const times: number[] = [];
    let first: string[] = [];
    for (const [i, record] of sealed.entries()) {
      provider.calls = [];
      const started = process.hrtime.bigint();
      const certificate = buildCertificate({ record, merkle: { root: tree.root, proof: tree.proof(i) }, anchor });
      const result = await verifyCertificate(certificate, { provider, trust });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (result.verdict !== "VALID") throw new Error(`${result.code}: ${result.reason}`);
      if (i === 0) first = provider.calls;
      else perCertificate.push(provider.calls.length);
    }
    const tally = (calls: string[]) =>
      Object.entries(calls.reduce<Record<string, number>>((n, m) => ({ ...n, [m]: (n[m] ?? 0) + 1 }), {}))
        .map(([m, n]) => `${m} ×${n}`)
        .join(", ");
    console.log(`\n## Online certificate verification (anvil, one provider, trust anchor with genesis hash)\n`);
    console.log(`- first certificate: ${first.length} JSON-RPC calls (${tally(first)})`);
    console.log(
      `- each next one on the same provider: median ${median(perCertificate)} calls (the chain id and genesis hash are checked once per provider; a dossier's anchors share one): ${tally(provider.calls)}`,
    );
    console.log(`- median ${median(times).toFixed(1)} ms per certificate over ${sealed.length} (loopback endpoint)`);
    provider.destroy();
    sender.destroy();
  } finally {
    await chain.stop();
  }
}
