import type { GatewayClientBase } from "../createGatewayClient";
import { parseTrustAnchor, type TrustAnchor } from "../../trust/trustAnchor";

export type GetTrustAnchorReturnType = TrustAnchor;

/**
 * The gateway's own trust anchor (GET /v1/chain/trust, public): chain id, genesis
 * hash, registry, escrow and receipt signer. It is what the operator says of
 * itself: fine for the operator's own tools and tests; a party checking the
 * operator builds its trust anchor from its own node and the consortium's
 * published deployment instead (docs/CERTIFICATE.md).
 *
 * @example
 * const trust = await client.getTrustAnchor();
 * await verifyCertificate(certificate, { rpcUrl, trust });
 */
export async function getTrustAnchor(client: GatewayClientBase): Promise<GetTrustAnchorReturnType> {
  return parseTrustAnchor(await client.request<unknown>("GET", "/v1/chain/trust"));
}
