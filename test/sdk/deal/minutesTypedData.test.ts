import { TypedDataEncoder, Wallet, verifyTypedData } from "ethers";
import { describe, expect, it } from "vitest";
import {
  chainDealId,
  dealDomain,
  minutesContentDigest,
  minutesTypedData,
  NEGOTIATION_MINUTES_TYPES,
  type MinutesContent,
} from "../../../sdk";

const minutes: MinutesContent = {
  dealId: "deal_0123456789abcdef01234567",
  minutesId: "min_0123456789abcdef",
  heldAt: "2026-11-20T09:30:00+08:00",
  place: "昆明 Kunming",
  agenda: ["许可范围", "royalty"],
  attendees: [
    { name: "王教授", side: "supplier" },
    { name: "Ms Srisuk", side: "demander" },
  ],
  agreed: ["exclusive licence, Thailand"],
  open: ["royalty rate"],
  nextSteps: ["site visit"],
};

describe("the negotiation minutes' EIP-712 typed data", () => {
  it("commits to the minutes' canonical JSON: key order does not matter, any change of text does", () => {
    const reordered = Object.fromEntries(Object.entries(minutes).reverse()) as unknown as MinutesContent;
    expect(minutesContentDigest(reordered)).toBe(minutesContentDigest(minutes));
    expect(minutesContentDigest({ ...minutes, open: ["royalty rate: 3%"] })).not.toBe(minutesContentDigest(minutes));
    expect(minutesContentDigest({ ...minutes, sessionId: "ses_0123456789abcdef" })).not.toBe(
      minutesContentDigest(minutes),
    );
    // Fields that are not the minutes' (an id the gateway adds, its digests) change nothing.
    expect(minutesContentDigest({ ...minutes, extra: 1 } as MinutesContent)).toBe(minutesContentDigest(minutes));
  });

  it("names the deal as the escrow does and is signed and recovered with any EIP-712 signer", async () => {
    const { domain, types, primaryType, message } = minutesTypedData(31337n, minutes);
    expect(primaryType).toBe("NegotiationMinutes");
    expect(domain).toEqual(dealDomain(31337));
    expect(message).toEqual({
      dealId: chainDealId(minutes.dealId),
      minutesId: minutes.minutesId,
      contentDigest: minutesContentDigest(minutes),
    });
    const wallet = Wallet.createRandom();
    const signature = await wallet.signTypedData(domain, types, message);
    expect(verifyTypedData(domain, NEGOTIATION_MINUTES_TYPES, message, signature)).toBe(wallet.address);
    // Another chain's domain is another digest: a signature does not carry over.
    const elsewhere = minutesTypedData(1n, minutes);
    expect(TypedDataEncoder.hash(elsewhere.domain, types, message)).not.toBe(
      TypedDataEncoder.hash(domain, types, message),
    );
  });
});
