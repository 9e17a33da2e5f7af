import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { SignInChallenges } from "../../../gateway/identity/signIn";

const settings = { domain: "ledger.test", uri: "http://ledger.test", chainId: "31337", challengeTtlSeconds: 300 };
const newWallet = () => new Wallet(Wallet.createRandom().privateKey);

describe("sign-in challenges", () => {
  it("keeps nothing per issued challenge, so a flood cannot crowd out another client's sign-in", async () => {
    const challenges = new SignInChallenges(settings);
    const flooder = newWallet().address;
    // The old table kept every challenge, filled at 100,000 and then refused everyone with 429;
    // `npm run bench:challenge-flood` floods a running gateway at full speed.
    for (let i = 0; i < 2_000; i++) challenges.issue(flooder);
    expect(challenges.remembered).toBe(0);
    const wallet = newWallet();
    const { message } = challenges.issue(wallet.address);
    expect(challenges.redeem(message, await wallet.signMessage(message))).toBe(wallet.address);
    expect(challenges.remembered).toBe(1);
  });

  it("accepts an answer once", async () => {
    const challenges = new SignInChallenges(settings);
    const wallet = newWallet();
    const { message } = challenges.issue(wallet.address);
    const signature = await wallet.signMessage(message);
    challenges.redeem(message, signature);
    expect(() => challenges.redeem(message, signature)).toThrow(expect.objectContaining({ code: "CHALLENGE_UNKNOWN" }));
  });

  it("does not use up a challenge on a wrong signature", async () => {
    const challenges = new SignInChallenges(settings);
    const wallet = newWallet();
    const { message } = challenges.issue(wallet.address);
    expect(() => challenges.redeem(message, `0x${"11".repeat(65)}`)).toThrow(
      expect.objectContaining({ code: "SIGNATURE_INVALID" }),
    );
    expect(challenges.redeem(message, await wallet.signMessage(message))).toBe(wallet.address);
  });

  it("refuses a challenge of another key (another gateway, or before a restart) as CHALLENGE_UNKNOWN", async () => {
    const before = new SignInChallenges(settings);
    const after = new SignInChallenges(settings);
    const wallet = newWallet();
    const { message } = before.issue(wallet.address);
    expect(() => after.redeem(message, "0x")).toThrow(expect.objectContaining({ code: "CHALLENGE_UNKNOWN" }));
  });

  it("refuses a challenge whose address or times were changed (its MAC no longer fits)", async () => {
    const challenges = new SignInChallenges(settings);
    const wallet = newWallet();
    const other = newWallet();
    const { message, expiresAt } = challenges.issue(wallet.address);
    const moved = message.replace(wallet.address, other.address);
    expect(() => challenges.redeem(moved, "0x")).toThrow(expect.objectContaining({ code: "CHALLENGE_UNKNOWN" }));
    const later = new Date(Date.parse(expiresAt) + 3600_000).toISOString();
    const extended = message.replace(`Expiration Time: ${expiresAt}`, `Expiration Time: ${later}`);
    expect(() => challenges.redeem(extended, "0x")).toThrow(expect.objectContaining({ code: "CHALLENGE_UNKNOWN" }));
  });

  it("refuses an expired challenge, and forgets answered ones once they expired", async () => {
    const challenges = new SignInChallenges(settings);
    const wallet = newWallet();
    const start = Date.now();
    const { message } = challenges.issue(wallet.address, start);
    const signature = await wallet.signMessage(message);
    challenges.redeem(message, signature, start + 1000);
    expect(challenges.remembered).toBe(1);
    expect(() => challenges.redeem(message, signature, start + 301_000)).toThrow(
      expect.objectContaining({ code: "CHALLENGE_EXPIRED" }),
    );
    expect(challenges.remembered).toBe(0);
  });
});
