import type { GatewayClientBase } from "../createGatewayClient";
import type { ChainInfo } from "../types";

export type GetChainInfoReturnType = ChainInfo;

/**
 * Which chain and registry the gateway anchors in, and its public chain
 * endpoint (GET /v1/chain, public). To verify a certificate without trusting
 * the gateway, use a node of your own for that chain id.
 *
 * @example
 * const { chainId, registry, rpcUrl } = await client.getChainInfo();
 */
export async function getChainInfo(client: GatewayClientBase): Promise<GetChainInfoReturnType> {
  return client.request<ChainInfo>("GET", "/v1/chain");
}
