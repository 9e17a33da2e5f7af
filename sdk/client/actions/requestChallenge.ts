import { assertAddress, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { Challenge } from "../types";

export interface RequestChallengeParameters {
  /** The address that will sign the challenge. */
  address: string;
}
export type RequestChallengeReturnType = Challenge;

/**
 * Gets a one-time sign-in challenge for `address` (POST /v1/auth/challenge); it
 * is to be signed with `personal_sign` within five minutes. {@link signIn},
 * {@link register} and {@link rotateSigningKey} do this for you.
 *
 * @example
 * const { message } = await client.requestChallenge({ address: wallet.address });
 * const signature = await wallet.signMessage(message);
 */
export async function requestChallenge(
  client: GatewayClientBase,
  parameters: RequestChallengeParameters,
): Promise<RequestChallengeReturnType> {
  assertObject(parameters, "parameters");
  assertAddress(parameters.address);
  return client.request<Challenge>("POST", "/v1/auth/challenge", { address: parameters.address });
}
