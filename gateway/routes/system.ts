import { z } from "zod";
import type { ChainClient } from "../chain/client";
import type { ChainMonitor } from "../chain/monitor";
import type { Anchorer } from "../evidence/anchorer";
import type { AccountSync } from "../identity/accountSync";
import { notFound, unavailable } from "../errors";
import type { TrustPublisher } from "../chain/trust";
import { trustAnchorSchema, BYTES32_PATTERN } from "tech-transfer-ledger/sdk";
import { defineRoute, type Route } from "../http/route";
import type { EscrowEvents } from "../escrow/events";
import type { WebhookDispatcher } from "../escrow/webhooks";

export interface PublicChainInfo {
  chainId: string;
  registry: string;
  /** The AccountRegistry of certified accounts, and the DealEscrow. */
  accounts: string;
  escrow: string;
  /** The chain endpoint people's browsers use on /verify. */
  rpcUrl: string;
}

/** Health, public chain facts, and content-addressed files. */
export function systemRoutes(deps: {
  chain: ChainClient;
  chainMonitor: ChainMonitor;
  anchorer: Anchorer;
  accountSync: AccountSync;
  escrowEvents: EscrowEvents;
  webhooks: WebhookDispatcher;
  /** The content-addressed files records commit to (the store's `FileStore`). */
  files: { get(sha256: string): Promise<Uint8Array | undefined> };
  publicChain: PublicChainInfo;
  trust: TrustPublisher;
  version: string;
}): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/v1/chain/trust",
      summary: "The gateway's own trust anchor: chain id, genesis hash, registry, escrow and receipt key",
      description:
        "The file `npm run verify -- --trust` takes (format `tech-transfer-ledger/trust-anchor@1`, docs/CERTIFICATE.md). " +
        "It is what this gateway says of itself: a reader who does not trust the operator builds it from their own node " +
        "and the consortium's published deployment instead, never from whoever handed them a certificate.",
      tags: ["system"],
      access: { public: true },
      responses: {
        200: { description: "The trust anchor", schema: trustAnchorSchema },
        503: { description: "The chain is unreachable (its genesis block could not be read); retry after Retry-After" },
      },
      async handler() {
        try {
          return { status: 200, body: await deps.trust.trustAnchor() };
        } catch (error) {
          throw unavailable(
            "CHAIN_UNAVAILABLE",
            `the chain could not be asked for its genesis block: ${(error as Error).message.split("\n")[0]}`,
          );
        }
      },
    }),
    defineRoute({
      method: "GET",
      path: "/health",
      summary: "Is the gateway well: chain, backlog, last anchored batch",
      description:
        "Always 200 while the gateway runs; `status` is `degraded` when the chain is unreachable, anchoring is failing, " +
        "records are found that no anchoring queue knows (`anchoring.orphaned`), " +
        "`chain.downSince` and `chain.restarts` tell the chain's outages and the local chain's restarts; " +
        "`anchoring.finality` says when a block counts as final, `anchoring.reconciliation` when every anchored " +
        "batch was last checked against the chain, `anchoring.reanchored` which batches the chain lost and since when. " +
        "It is also degraded when the on-chain account registry disagrees with the certification decisions, the escrow's " +
        "events cannot be read, or the escrow is paused by its admin (`escrow.paused`, `escrow.pausedSince`: no money " +
        "moves until it is unpaused). " +
        "`bankWebhooks.waiting` counts messages the bank has not taken yet. " +
        "Records are still accepted then and wait in `anchoring.waiting`.",
      tags: ["system"],
      access: { public: true },
      responses: { 200: { description: "The gateway's state" } },
      async handler() {
        const chain = { ...(await deps.chain.status()), ...deps.chainMonitor.status() };
        const anchoring = deps.anchorer.status();
        const { mismatches, ...accounts } = deps.accountSync.status();
        const escrow = deps.escrowEvents.status();
        const pause = await deps.escrowEvents.pause();
        const waiting = await deps.webhooks.undelivered(1000);
        const healthy =
          chain.reachable &&
          !anchoring.failingSince &&
          anchoring.orphaned.records === 0 &&
          !accounts.failingSince &&
          !escrow.failingSince &&
          !pause.paused &&
          mismatches.length === 0;
        return {
          status: 200,
          body: {
            status: healthy ? "ok" : "degraded",
            version: deps.version,
            chain,
            anchoring,
            // The on-chain list of certified accounts against the certification decisions.
            accounts: {
              ...accounts,
              inSync: mismatches.length === 0 && accounts.waiting === 0,
              mismatches: mismatches.length,
            },
            // The escrow's events as the gateway follows them, and what waits for the bank.
            escrow: { ...escrow, paused: pause.paused, pausedSince: pause.since },
            bankWebhooks: { waiting: waiting.length, oldest: waiting[0]?.createdAt },
          },
          headers: { "Cache-Control": "no-store" },
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/chain",
      summary:
        "Which chain the evidence is anchored in, and the addresses of the registry, account registry and escrow",
      tags: ["system"],
      access: { public: true },
      responses: {
        200: {
          description: "Chain id, registry address and the public chain endpoint",
          schema: z.object({
            chainId: z.string(),
            registry: z.string(),
            accounts: z.string(),
            escrow: z.string(),
            rpcUrl: z.string(),
          }),
        },
      },
      handler() {
        return { status: 200, body: deps.publicChain };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/files/:sha256",
      summary: "Download a file attached to a record, by its SHA-256",
      tags: ["evidence"],
      access: { roles: ["operator"] },
      params: z.object({ sha256: z.string().regex(BYTES32_PATTERN, "a SHA-256 digest as 0x-prefixed hex") }),
      responses: {
        200: { description: "The file's bytes", contentType: "application/octet-stream" },
        400: { description: "Not a digest" },
        401: { description: "No credential, or a bad one" },
        403: { description: "Not allowed" },
        404: { description: "No such file" },
      },
      async handler({ params }) {
        const bytes = await deps.files.get(params.sha256);
        if (!bytes) throw notFound("FILE_NOT_FOUND", `no file with SHA-256 ${params.sha256}`);
        return { status: 200, body: bytes, type: "application/octet-stream" };
      },
    }),
  ];
}
