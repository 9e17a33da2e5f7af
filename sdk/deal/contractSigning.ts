import { assertBytes32 } from "../assert";
import { InvalidArgumentError } from "../errors";
import { chainDealId } from "../escrow/chainDealId";
import { CONTRACT_LANGUAGES, CONTRACT_TYPES, type ContractLanguage, type ContractType } from "./contractTypes";

/**
 * The EIP-712 message both parties sign to sign a technology contract (SPEC 6.7): the deal (its
 * escrow id, {@link chainDealId}), the contract's type and language, the version of the draft
 * that became final, and the digest of its text ({@link contractDigest}), the same digest the
 * escrow terms then carry. Parties sign with the keys they sign escrow terms with.
 *
 * @example
 * const { domain, types, message } = contractTypedData({ chainId, escrow, dealId, contractType: "licence", language: "zh", version: 3, contractDigest: digest });
 * const signature = await supplier.signTypedData(domain, types, message);
 */
export const CONTRACT_SIGNATURE_TYPES = {
  TechnologyContract: [
    { name: "dealId", type: "bytes32" },
    { name: "contractType", type: "string" },
    { name: "language", type: "string" },
    { name: "version", type: "uint32" },
    { name: "contractDigest", type: "bytes32" },
  ],
};

/**
 * The domain of contract signatures: its own name, so a contract signature can never be taken
 * for escrow terms or a milestone move, on the chain and escrow the deal's terms go to.
 *
 * @example
 * contractDomain(31337n, "0x5FbDB2315678afecb367f032d93F642f64180aa3")
 */
export function contractDomain(chainId: bigint | number, verifyingContract: string) {
  return { name: "TechTransferLedger TechnologyContract", version: "1", chainId, verifyingContract };
}

export interface ContractTypedDataParameters {
  chainId: bigint | number;
  /** The escrow contract's address, as in `escrowDomain`. */
  escrow: string;
  /** The platform's deal id (`deal_…`); the message carries its escrow id. */
  dealId: string;
  contractType: ContractType;
  language: ContractLanguage;
  /** The draft version both parties agreed to (1, 2, …). */
  version: number;
  contractDigest: string;
}

export interface ContractMessage {
  dealId: string;
  contractType: ContractType;
  language: ContractLanguage;
  version: number;
  contractDigest: string;
}

/**
 * The typed data a party signs for a contract, ready for `signer.signTypedData(domain, types,
 * message)` and for ethers `verifyTypedData` to recover who signed.
 *
 * @example
 * const signer = verifyTypedData(typed.domain, typed.types, typed.message, signature);
 */
export function contractTypedData(parameters: ContractTypedDataParameters) {
  const { chainId, escrow, dealId, contractType, language, version, contractDigest } = parameters;
  assertBytes32(contractDigest, "contractDigest");
  if (!CONTRACT_TYPES.includes(contractType))
    throw new InvalidArgumentError(`contractType must be one of ${CONTRACT_TYPES.join(", ")}`);
  if (!CONTRACT_LANGUAGES.includes(language))
    throw new InvalidArgumentError(`language must be one of ${CONTRACT_LANGUAGES.join(", ")}`);
  if (!Number.isInteger(version) || version < 1 || version > 0xffffffff) {
    throw new InvalidArgumentError("version must be a whole number from 1", {
      details: `got ${JSON.stringify(version)}`,
    });
  }
  const message: ContractMessage = { dealId: chainDealId(dealId), contractType, language, version, contractDigest };
  return {
    domain: contractDomain(chainId, escrow),
    types: CONTRACT_SIGNATURE_TYPES,
    primaryType: "TechnologyContract" as const,
    message,
  };
}
