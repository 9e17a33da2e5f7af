import { assertAgeRecipient, assertObject, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { UserView } from "../types";

export interface SetEncryptionRecipientParameters {
  /** The signed-in user's own id. */
  userId: string;
  /** The new age X25519 recipient (`age1…`). */
  recipient: string;
}
export type SetEncryptionRecipientReturnType = UserView;

/**
 * Sets a new encryption recipient for deliveries to the account
 * (PUT /v1/users/:id/keys/encryption); the previous one is kept as retired.
 *
 * @example
 * await me.setEncryptionRecipient({ userId: user.id, recipient: "age1…" });
 */
export async function setEncryptionRecipient(
  client: GatewayClientBase,
  parameters: SetEncryptionRecipientParameters,
): Promise<SetEncryptionRecipientReturnType> {
  assertObject(parameters, "parameters");
  const { userId, recipient } = parameters;
  assertUserId(userId);
  assertAgeRecipient(recipient, "recipient");
  return client.request<UserView>("PUT", `/v1/users/${userId}/keys/encryption`, { recipient });
}
