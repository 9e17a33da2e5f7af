import type { Config } from "../../gateway/config";

/** Where the chain is, and how that was decided. */
export interface ChainEndpoint {
  rpcUrl: string;
  /** `CHAIN_RPC_URL`: an external chain; `CHAIN_PORT`: the local chain `npm start` runs. */
  source: "CHAIN_RPC_URL" | "CHAIN_PORT";
  /** Whether this is the local chain `npm start` runs (its saved state is under DATA_DIR/chain). */
  local: boolean;
}

/**
 * The chain endpoint the gateway uses for these settings: `CHAIN_RPC_URL` when
 * set, else the local chain that `npm start` runs on `CHAIN_PORT` (8545 by
 * default). The gateway (`gateway/server.ts`), `npm run audit` and the other
 * scripts all look the chain up here, so they never disagree.
 *
 * @example
 * const { rpcUrl } = chainEndpoint(readConfig());
 */
export function chainEndpoint(config: Pick<Config, "chainRpcUrl" | "chainPort">): ChainEndpoint {
  if (config.chainRpcUrl) return { rpcUrl: config.chainRpcUrl, source: "CHAIN_RPC_URL", local: false };
  return { rpcUrl: `http://127.0.0.1:${config.chainPort}`, source: "CHAIN_PORT", local: true };
}

/**
 * The chain endpoint's URL for the scripts that take their settings from the
 * environment alone (`npm run verify`): the same rule as {@link chainEndpoint}.
 *
 * @example
 * const rpcUrl = chainRpcUrl(); // $CHAIN_RPC_URL, else http://127.0.0.1:$CHAIN_PORT (8545)
 */
export function chainRpcUrl(env: NodeJS.ProcessEnv = process.env): string {
  return chainEndpoint({ chainRpcUrl: env.CHAIN_RPC_URL || undefined, chainPort: Number(env.CHAIN_PORT ?? 8545) })
    .rpcUrl;
}
