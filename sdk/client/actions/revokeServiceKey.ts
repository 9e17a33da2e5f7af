import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SERVICE_KEY_ID_PATTERN } from "../../patterns";

export interface RevokeServiceKeyParameters {
  keyId: string;
}
export type RevokeServiceKeyReturnType = void;

/**
 * Revokes a service credential at once (DELETE /v1/service-keys/:keyId), for admins.
 *
 * @example
 * await admin.revokeServiceKey({ keyId });
 */
export async function revokeServiceKey(
  client: GatewayClientBase,
  parameters: RevokeServiceKeyParameters,
): Promise<RevokeServiceKeyReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.keyId, SERVICE_KEY_ID_PATTERN, "keyId", "a service key id (16 hex digits)");
  return client.request<RevokeServiceKeyReturnType>("DELETE", `/v1/service-keys/${parameters.keyId}`);
}
