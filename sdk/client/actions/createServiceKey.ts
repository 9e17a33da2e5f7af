import { assertObject, assertOneOf } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface CreateServiceKeyParameters {
  label: string;
  roles: Array<"operator" | "bank">;
  kind: "bearer" | "signing";
}
export interface CreateServiceKeyReturnType {
  keyId: string;
  kind: "bearer" | "signing";
  roles: Array<"operator" | "bank">;
  /** The bearer token (kind `bearer`). */
  token?: string;
  /** The HMAC secret, base64url (kind `signing`). */
  secret?: string;
}

/**
 * Issues a service credential (POST /v1/service-keys), for admins: a bearer token, or a signing key
 * for HMAC-signed requests (the bank). The secret is in this answer only.
 *
 * @example
 * const { keyId, secret } = await admin.createServiceKey({ label: "bank", roles: ["bank"], kind: "signing" });
 */
export async function createServiceKey(
  client: GatewayClientBase,
  parameters: CreateServiceKeyParameters,
): Promise<CreateServiceKeyReturnType> {
  assertObject(parameters, "parameters");
  assertOneOf(parameters.kind, ["bearer", "signing"] as const, "kind");
  return client.request<CreateServiceKeyReturnType>("POST", `/v1/service-keys`, {
    label: parameters.label,
    roles: parameters.roles,
    kind: parameters.kind,
  });
}
