import { assertObject, assertSigner, assertUserId, type MessageSigner } from "../assert";
import { signChallenge } from "../challenge";
import type { GatewayClient, GatewayClientBase } from "../createGatewayClient";
import type { Session } from "../types";

export interface RotateSigningKeyParameters {
  /** The signed-in user's own id. */
  userId: string;
  /** The new key; it signs the challenge, proving the account holds it. */
  newSigner: MessageSigner;
}
export type RotateSigningKeyReturnType = Session & {
  /** A client that sends the new session's token. */
  client: GatewayClient;
};

/**
 * Replaces the account's signing key (PUT /v1/users/:id/keys/signing), called
 * with a session of the current key. The old key is kept as retired, and every
 * session begun with it is refused from then on (`SESSION_STALE`): go on with
 * the returned session.
 *
 * @example
 * const next = Wallet.createRandom();
 * const { client: me } = await me.rotateSigningKey({ userId: user.id, newSigner: next });
 */
export async function rotateSigningKey(
  client: GatewayClientBase,
  parameters: RotateSigningKeyParameters,
): Promise<RotateSigningKeyReturnType> {
  assertObject(parameters, "parameters");
  const { userId, newSigner } = parameters;
  assertUserId(userId);
  assertSigner(newSigner, "newSigner");
  const { message, signature } = await signChallenge(client, newSigner);
  const session = await client.request<Session>("PUT", `/v1/users/${userId}/keys/signing`, { message, signature });
  return { ...session, client: client.withToken(session.token) };
}
