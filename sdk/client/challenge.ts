import { getAddress } from "ethers";
import type { GatewayClientBase } from "./createGatewayClient";
import { ChallengeMismatchError } from "./errors";
import { assertAddress, type MessageSigner } from "./assert";
import { requestChallenge } from "./actions/requestChallenge";

/**
 * Asks the gateway for a challenge for the signer's address and has the signer
 * sign it. The challenge is signed only if it is a sign-in challenge for that
 * address: a gateway (or anything in between) cannot get other text signed.
 *
 * @example
 * const { message, signature } = await signChallenge(client, wallet);
 */
export async function signChallenge(
  client: GatewayClientBase,
  signer: MessageSigner,
): Promise<{ address: string; message: string; signature: string }> {
  const reported = await signer.getAddress();
  assertAddress(reported, "the signer's address");
  const address = getAddress(reported);
  const { message } = await requestChallenge(client, { address });
  const lines = message.split("\n");
  if (!/ wants you to sign in with your Ethereum account:$/.test(lines[0] ?? "") || lines[1] !== address) {
    throw new ChallengeMismatchError(address, message);
  }
  const signature = await signer.signMessage(message);
  return { address, message, signature };
}
