import { randomBytes } from "node:crypto";
import { getAddress, isAddress } from "ethers";
import { recoverMessageSigner } from "../../sdk/auth/recoverSigner";
import { badRequest, GatewayError } from "../errors";

export interface SignInSettings {
  /** The host people see (e.g. `ledger.example.cn`); a challenge for another domain is refused. */
  domain: string;
  /** The gateway's base URL. */
  uri: string;
  chainId: string;
  /** How long a challenge may be answered, in seconds. */
  challengeTtlSeconds: number;
  /** Most challenges outstanding at once; more are refused until some are used or expire. */
  maxOutstanding?: number;
}

interface Outstanding {
  message: string;
  address: string;
  expiresAt: number;
}

const unauthorized = (code: string, message: string) => new GatewayError(401, code, message);

/**
 * One-time sign-in challenges in the spirit of EIP-4361 (Sign-In with Ethereum):
 * the gateway writes the message (domain, address, nonce, issued-at, expiry),
 * the user signs it with their key (`personal_sign`), and the answer is accepted
 * once: a replayed, expired, altered or foreign-domain message is refused.
 *
 * Outstanding challenges live in memory: a restart only makes people ask again.
 */
export class SignInChallenges {
  private readonly outstanding = new Map<string, Outstanding>();

  constructor(private readonly settings: SignInSettings) {}

  /**
   * A message for `address` to sign.
   *
   * @example
   * const { message } = challenges.issue("0xAb…"); // then wallet.signMessage(message)
   */
  issue(address: string, now = Date.now()): { message: string; nonce: string; expiresAt: string } {
    if (!isAddress(address)) throw badRequest("INVALID_ADDRESS", "address must be a 20-byte hex account address");
    this.prune(now);
    if (this.outstanding.size >= (this.settings.maxOutstanding ?? 100_000)) {
      throw new GatewayError(429, "TOO_MANY_CHALLENGES", "too many sign-ins are waiting; try again in a minute", {
        headers: { "Retry-After": "60" },
      });
    }
    const nonce = randomBytes(16).toString("hex");
    const checksummed = getAddress(address);
    const expiresAt = now + this.settings.challengeTtlSeconds * 1000;
    const message = [
      `${this.settings.domain} wants you to sign in with your Ethereum account:`,
      checksummed,
      "",
      "Sign in to Tech Transfer Ledger. 登录技术转移数字化平台。",
      "",
      `URI: ${this.settings.uri}`,
      "Version: 1",
      `Chain ID: ${this.settings.chainId}`,
      `Nonce: ${nonce}`,
      `Issued At: ${new Date(now).toISOString()}`,
      `Expiration Time: ${new Date(expiresAt).toISOString()}`,
    ].join("\n");
    this.outstanding.set(nonce, { message, address: checksummed, expiresAt });
    return { message, nonce, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Checks a signed challenge and uses it up; returns the address that signed it.
   * Throws 400 for a message that is not a challenge, 401 for everything else.
   */
  redeem(message: string, signature: string, now = Date.now()): string {
    const domain = /^(.+) wants you to sign in with your Ethereum account:\n/.exec(message)?.[1];
    const nonce = /\nNonce: ([0-9a-f]{32})\n/.exec(message)?.[1];
    if (!domain || !nonce)
      throw badRequest("CHALLENGE_MALFORMED", "the message is not a sign-in challenge of this gateway");
    if (domain !== this.settings.domain) {
      throw unauthorized("DOMAIN_MISMATCH", `the challenge is for ${domain}, not ${this.settings.domain}`);
    }
    const issued = this.outstanding.get(nonce);
    if (!issued)
      throw unauthorized("CHALLENGE_UNKNOWN", "the challenge was never issued or was already used; ask for a new one");
    if (issued.message !== message)
      throw unauthorized("CHALLENGE_ALTERED", "the message differs from the challenge issued");
    this.outstanding.delete(nonce);
    if (issued.expiresAt <= now) throw unauthorized("CHALLENGE_EXPIRED", "the challenge expired; ask for a new one");
    let signer: string;
    try {
      signer = recoverMessageSigner(message, signature);
    } catch {
      throw unauthorized("SIGNATURE_INVALID", "the signature is not a valid secp256k1 signature of the challenge");
    }
    if (signer !== issued.address) {
      throw unauthorized("SIGNATURE_INVALID", `the challenge was signed by ${signer}, not by ${issued.address}`);
    }
    return signer;
  }

  /** Drops expired challenges; they were issued in expiry order, so the oldest come first. */
  private prune(now: number): void {
    for (const [nonce, challenge] of this.outstanding) {
      if (challenge.expiresAt > now) break;
      this.outstanding.delete(nonce);
    }
  }
}
