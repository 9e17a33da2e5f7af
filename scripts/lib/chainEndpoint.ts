/**
 * The chain endpoint the scripts use, found as the gateway finds it:
 * `CHAIN_RPC_URL`, else the local chain of `npm start` at `http://127.0.0.1:$CHAIN_PORT`
 * (`CHAIN_PORT` defaulting to 8545).
 */
export function chainRpcUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHAIN_RPC_URL ?? `http://127.0.0.1:${env.CHAIN_PORT ?? 8545}`;
}
