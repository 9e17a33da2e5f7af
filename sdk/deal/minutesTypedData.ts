import { canonicalJson } from "../evidence/canonical";
import { toHex } from "../evidence/bytes";
import { keccak256 } from "../evidence/keccak256";
import { chainDealId } from "../escrow/chainDealId";

/**
 * What formal negotiation minutes say (clause 6.5): when and where the session
 * was held, its agenda and attendees, the points agreed and still open, and the
 * next steps. Both parties sign its digest.
 */
export interface MinutesContent {
  dealId: string;
  minutesId: string;
  sessionId?: string;
  heldAt: string;
  place: string;
  agenda: string[];
  attendees: Array<{ name: string; side: "supplier" | "demander" | "broker" | "manager" | "other" }>;
  agreed: string[];
  open: string[];
  nextSteps: string[];
}

/**
 * The EIP-712 message both parties of a deal sign over negotiation minutes,
 * with the same signing key they sign the escrow terms with.
 *
 * @example
 * const signature = await wallet.signTypedData(dealDomain(chainId), NEGOTIATION_MINUTES_TYPES, message);
 */
export const NEGOTIATION_MINUTES_TYPES = {
  NegotiationMinutes: [
    { name: "dealId", type: "bytes32" },
    { name: "minutesId", type: "string" },
    { name: "contentDigest", type: "bytes32" },
  ],
};

/**
 * The EIP-712 domain of the deal workspace's signatures on a chain: off-chain
 * documents (minutes), bound to the platform's chain so a signature made for
 * one deployment's chain means nothing on another.
 *
 * @example
 * dealDomain(31337n)
 */
export function dealDomain(chainId: bigint | number | string) {
  return { name: "TechTransferLedger Deal", version: "1", chainId: chainId.toString() };
}

/**
 * keccak256 of the minutes' canonical JSON (RFC 8785): what the signed message commits to.
 *
 * @example
 * const contentDigest = minutesContentDigest(minutes);
 */
export function minutesContentDigest(content: MinutesContent): string {
  const { dealId, minutesId, sessionId, heldAt, place, agenda, attendees, agreed, open, nextSteps } = content;
  const exact = {
    dealId,
    minutesId,
    ...(sessionId !== undefined && { sessionId }),
    heldAt,
    place,
    agenda,
    attendees,
    agreed,
    open,
    nextSteps,
  };
  return toHex(keccak256(new TextEncoder().encode(canonicalJson(exact))));
}

/**
 * The typed data a party signs for `content`, ready for `signer.signTypedData(domain, types, message)`.
 *
 * @example
 * const { domain, types, message } = minutesTypedData(chainId, minutes);
 * const signature = await wallet.signTypedData(domain, types, message);
 */
export function minutesTypedData(chainId: bigint | number | string, content: MinutesContent) {
  return {
    domain: dealDomain(chainId),
    types: NEGOTIATION_MINUTES_TYPES,
    primaryType: "NegotiationMinutes" as const,
    message: {
      dealId: chainDealId(content.dealId),
      minutesId: content.minutesId,
      contentDigest: minutesContentDigest(content),
    },
  };
}
