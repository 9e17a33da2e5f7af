import { assertObject, assertSigner, type MessageSigner } from "../assert";
import { signChallenge } from "../challenge";
import type { GatewayClient, GatewayClientBase } from "../createGatewayClient";
import type { Session } from "../types";

export interface SignInParameters {
  /** The account's signing key: an ethers `Signer` or `Wallet`, or anything with `getAddress()` and `signMessage()`. */
  signer: MessageSigner;
  /**
   * The device signing in, sent as `X-Device-Id` (8 to 128 letters, digits, `.`, `:`, `-`, `_`): risk control
   * links accounts signed in from one device (docs/RISK.md). A stable id the app keeps per installation.
   */
  deviceId?: string;
}
export type SignInReturnType = Session & {
  /** A client that sends the new session's token. */
  client: GatewayClient;
};

/**
 * Signs in with the account's signing key: gets a challenge for the signer's
 * address, has the signer sign it, and exchanges it for a session
 * (POST /v1/auth/session).
 *
 * @example
 * const { client: me, user } = await createGatewayClient({ baseUrl }).signIn({ signer: wallet });
 * console.log(user.id, (await me.getMe()).status);
 */
export async function signIn(client: GatewayClientBase, parameters: SignInParameters): Promise<SignInReturnType> {
  assertObject(parameters, "parameters");
  assertSigner(parameters.signer, "signer");
  const { message, signature } = await signChallenge(client, parameters.signer);
  const { deviceId } = parameters;
  const session = await client.request<Session>(
    "POST",
    "/v1/auth/session",
    { message, signature },
    deviceId === undefined ? {} : { deviceId },
  );
  return { ...session, client: client.withToken(session.token) };
}
