import { getBytes, hashMessage, recoverAddress, Signature, computeAddress } from "ethers";
import { InvalidArgumentError } from "../errors";

type Recover = (digest: Uint8Array, signature: Signature) => string;

/**
 * Public-key recovery with the native libsecp256k1 binding where it loads
 * (about twenty times faster than portable JavaScript: a sign-in is one
 * recovery), and ethers' (noble) implementation elsewhere, with the same result.
 */
function nativeRecover(): Recover | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const secp = require("secp256k1/bindings") as {
      ecdsaRecover(signature: Uint8Array, recovery: number, digest: Uint8Array, compressed: boolean): Uint8Array;
    };
    return (digest, signature) => {
      const compact = getBytes(signature.compactSerialized).slice();
      // The compact form folds the recovery bit into s; undo that for libsecp256k1.
      compact[32] &= 0x7f;
      const publicKey = secp.ecdsaRecover(compact, signature.yParity, digest, false);
      return computeAddress(`0x${Buffer.from(publicKey).toString("hex")}`);
    };
  } catch {
    return undefined;
  }
}

const recover: Recover = nativeRecover() ?? ((digest, signature) => recoverAddress(digest, signature));

/**
 * The address that signed `message` with `personal_sign` (EIP-191), checksummed.
 * Throws InvalidArgumentError for something that is not a signature.
 *
 * @example
 * recoverMessageSigner(message, await wallet.signMessage(message)) === wallet.address
 */
export function recoverMessageSigner(message: string, signature: string): string {
  let parsed: Signature;
  try {
    parsed = Signature.from(signature);
  } catch (error) {
    throw new InvalidArgumentError("not a 65-byte secp256k1 signature", { cause: error });
  }
  try {
    return recover(getBytes(hashMessage(message)), parsed);
  } catch (error) {
    throw new InvalidArgumentError("the signature does not recover to any key", { cause: error });
  }
}
