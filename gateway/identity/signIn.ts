import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getAddress, isAddress } from "ethers";
import { recoverMessageSigner } from "tech-transfer-ledger/sdk";
import { badRequest, unauthorized } from "../errors";

export interface SignInSettings {
  /** The host people see (e.g. `ledger.example.cn`); a challenge for another domain is refused. */
  domain: string;
  /** The gateway's base URL. */
  uri: string;
  chainId: string;
  /** How long a challenge may be answered, in seconds. */
  challengeTtlSeconds: number;
  /** Key of the challenges' MACs; a fresh random one per process unless given (tests). */
  secret?: Uint8Array;
}

/** The nonce: 8 random bytes, then 16 bytes of HMAC-SHA256 over them and what the message says. */
const NONCE_PATTERN = /\nNonce: ([0-9a-f]{16})([0-9a-f]{32})\n/;

/**
 * One-time sign-in challenges in the spirit of EIP-4361 (Sign-In with Ethereum):
 * the gateway writes the message (domain, address, nonce, issued-at, expiry),
 * the user signs it with their key (`personal_sign`), and the answer is accepted
 * once: a replayed, expired, altered or foreign-domain message is refused.
 *
 * Issuing a challenge keeps nothing: its nonce carries an HMAC of the address and
 * times it names, under a key of this process, so the gateway recognises its own
 * challenges when they come back. A flood of `POST /v1/auth/challenge` (which
 * needs no login) costs a hash each and fills no table, so it cannot lock other
 * people out of signing in. A challenge is remembered only once it has been
 * answered with a valid signature, until it expires, to refuse its replay. A
 * restart changes the key: challenges issued before it are unknown after it.
 */
export class SignInChallenges {
  private readonly secret: Uint8Array;
  /** Answered challenges by nonce, with their expiry, in the order they were answered. */
  private readonly used = new Map<string, number>();

  constructor(private readonly settings: SignInSettings) {
    this.secret = settings.secret ?? randomBytes(32);
  }

  /**
   * A message for `address` to sign.
   *
   * @example
   * const { message } = challenges.issue("0xAb…"); // then wallet.signMessage(message)
   */
  issue(address: string, now = Date.now()): { message: string; nonce: string; expiresAt: string } {
    if (!isAddress(address)) throw badRequest("INVALID_ADDRESS", "address must be a 20-byte hex account address");
    const checksummed = getAddress(address);
    const issuedAt = new Date(now).toISOString();
    const expiresAt = new Date(now + this.settings.challengeTtlSeconds * 1000).toISOString();
    const salt = randomBytes(8).toString("hex");
    const nonce = salt + this.mac(salt, checksummed, issuedAt, expiresAt);
    return { message: this.message(checksummed, nonce, issuedAt, expiresAt), nonce, expiresAt };
  }

  /**
   * Checks a signed challenge and uses it up; returns the address that signed it.
   * Throws 400 for a message that is not a challenge, 401 for everything else.
   */
  redeem(message: string, signature: string, now = Date.now()): string {
    const domain = /^(.+) wants you to sign in with your Ethereum account:\n/.exec(message)?.[1];
    const nonce = NONCE_PATTERN.exec(message);
    if (!domain || !nonce)
      throw badRequest("CHALLENGE_MALFORMED", "the message is not a sign-in challenge of this gateway");
    if (domain !== this.settings.domain) {
      throw unauthorized("DOMAIN_MISMATCH", `the challenge is for ${domain}, not ${this.settings.domain}`);
    }
    const [, salt, mac] = nonce;
    const address = /^.+\n(0x[0-9a-fA-F]{40})\n/.exec(message)?.[1] ?? "";
    const issuedAt = /\nIssued At: (\S+)/.exec(message)?.[1] ?? "";
    const expiresAt = /\nExpiration Time: (\S+)$/.exec(message)?.[1] ?? "";
    const expected = Buffer.from(this.mac(salt, address, issuedAt, expiresAt), "hex");
    if (!timingSafeEqual(expected, Buffer.from(mac, "hex")))
      throw unauthorized("CHALLENGE_UNKNOWN", "the challenge was never issued by this gateway; ask for a new one");
    if (message !== this.message(address, salt + mac, issuedAt, expiresAt))
      throw unauthorized("CHALLENGE_ALTERED", "the message differs from the challenge issued");
    this.prune(now);
    if (this.used.has(salt + mac))
      throw unauthorized("CHALLENGE_UNKNOWN", "the challenge was already used; ask for a new one");
    const expiry = Date.parse(expiresAt);
    if (!(expiry > now)) throw unauthorized("CHALLENGE_EXPIRED", "the challenge expired; ask for a new one");
    let signer: string;
    try {
      signer = recoverMessageSigner(message, signature);
    } catch {
      throw unauthorized("SIGNATURE_INVALID", "the signature is not a valid secp256k1 signature of the challenge");
    }
    if (signer !== address) {
      throw unauthorized("SIGNATURE_INVALID", `the challenge was signed by ${signer}, not by ${address}`);
    }
    this.used.set(salt + mac, expiry);
    return signer;
  }

  /** How many answered challenges are remembered (until they expire), for /health and tests. */
  get remembered(): number {
    return this.used.size;
  }

  private message(address: string, nonce: string, issuedAt: string, expiresAt: string): string {
    return [
      `${this.settings.domain} wants you to sign in with your Ethereum account:`,
      address,
      "",
      "Sign in to Tech Transfer Ledger. 登录技术转移数字化平台。",
      "",
      `URI: ${this.settings.uri}`,
      "Version: 1",
      `Chain ID: ${this.settings.chainId}`,
      `Nonce: ${nonce}`,
      `Issued At: ${issuedAt}`,
      `Expiration Time: ${expiresAt}`,
    ].join("\n");
  }

  private mac(salt: string, address: string, issuedAt: string, expiresAt: string): string {
    return createHmac("sha256", this.secret)
      .update(`${this.settings.domain}\n${salt}\n${address}\n${issuedAt}\n${expiresAt}`)
      .digest("hex")
      .slice(0, 32);
  }

  /**
   * Forgets answered challenges that have expired (a replay of those is refused as
   * expired). Answers arrive in about expiry order, all challenges living equally long.
   */
  private prune(now: number): void {
    for (const [nonce, expiry] of this.used) {
      if (expiry > now) break;
      this.used.delete(nonce);
    }
  }
}
