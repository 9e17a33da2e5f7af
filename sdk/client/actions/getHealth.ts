import type { GatewayClientBase } from "../createGatewayClient";
import type { Health } from "../types";

export type GetHealthReturnType = Health;

/**
 * The gateway's health (GET /health, public): `degraded` when the chain is
 * unreachable, anchoring is failing, or the on-chain account registry disagrees
 * with the certification decisions.
 *
 * @example
 * const health = await client.getHealth();
 * console.log(health.status, health.anchoring.waiting);
 */
export async function getHealth(client: GatewayClientBase): Promise<GetHealthReturnType> {
  return client.request<Health>("GET", "/health");
}
