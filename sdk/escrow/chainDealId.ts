import { keccak256 } from "../evidence/keccak256";
import { toHex } from "../evidence/bytes";

/**
 * The id a platform deal has in the escrow contract: keccak256 of its id's
 * UTF-8 bytes, so anyone holding the deal id finds the deal on chain.
 *
 * @example
 * chainDealId("deal_3f2a…") // '0x…' (32 bytes)
 */
export function chainDealId(dealId: string): string {
  return toHex(keccak256(new TextEncoder().encode(dealId)));
}
