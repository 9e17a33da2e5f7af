import { getAddress } from "ethers";
import { z } from "zod";
import { BYTES32_PATTERN, ADDRESS_PATTERN } from "../patterns";
import { InvalidArgumentError } from "../errors";

/** Identifies the trust anchor format; documented in docs/CERTIFICATE.md. */
export const TRUST_ANCHOR_FORMAT = "tech-transfer-ledger/trust-anchor@1";

const bytes32 = z.string().regex(BYTES32_PATTERN, "32 bytes as 0x-prefixed lower-case hex");
/** An address in its EIP-55 checksummed form, so that a typo is caught rather than trusted. */
const checksummedAddress = z
  .string()
  .regex(ADDRESS_PATTERN, "an address as 0x-prefixed hex")
  .refine((value) => {
    try {
      return getAddress(value) === value;
    } catch {
      return false;
    }
  }, "an address in its EIP-55 checksummed form");

/**
 * A contract the reader trusts, over the blocks it was in service: from the block
 * it was deployed in to, when it was replaced, the last block in which it counts.
 */
const deploymentSchema = z.strictObject({
  address: checksummedAddress,
  /** The block the contract was deployed in: nothing it says can be older. */
  fromBlock: z.int().min(0),
  /** The last block in which the contract counts; absent while it is in service. */
  untilBlock: z.int().min(0).optional(),
});

/**
 * Schema of a trust anchor: what a reader decided to trust, chosen by the reader,
 * never taken from the file being verified. A consortium member builds it from its
 * own node and the consortium's published deployment (docs/CERTIFICATE.md).
 */
export const trustAnchorSchema = z
  .strictObject({
    format: z.literal(TRUST_ANCHOR_FORMAT),
    /** The chain id, as a decimal string (as certificates write it). */
    chainId: z.string().regex(/^[1-9][0-9]*$/, "a chain id as a decimal string"),
    /** The hash of block 0; absent when only the chain id is pinned (`--chain-id`). */
    genesisHash: bytes32.optional(),
    /** Every EvidenceRegistry the reader trusts, oldest first, with its years of service. */
    registries: z.array(deploymentSchema).min(1),
    /** The DealEscrow contracts whose events a dossier may cite; optional. */
    escrows: z.array(deploymentSchema).optional(),
    /** Addresses whose EIP-712 signature makes an evidence receipt the gateway's; optional. */
    receiptSigners: z.array(checksummedAddress).optional(),
  })
  .superRefine((anchor, ctx) => {
    for (const [i, d] of [...anchor.registries, ...(anchor.escrows ?? [])].entries()) {
      if (d.untilBlock !== undefined && d.untilBlock < d.fromBlock) {
        ctx.addIssue({ code: "custom", path: [i], message: "untilBlock is before fromBlock" });
      }
    }
  });

/** What a reader trusts: one chain, its registries, and optionally its escrows and receipt signers. */
export type TrustAnchor = z.infer<typeof trustAnchorSchema>;
/** A contract trusted over a range of blocks. */
export type TrustedDeployment = TrustAnchor["registries"][number];

/**
 * Checks a trust anchor (parsed JSON) and returns it typed; throws
 * {@link InvalidArgumentError} naming the first problem.
 *
 * @example
 * const trust = parseTrustAnchor(parseJsonStrict(readFileSync("trust.json", "utf8")));
 */
export function parseTrustAnchor(input: unknown): TrustAnchor {
  const parsed = trustAnchorSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidArgumentError(`not a trust anchor: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The smallest trust anchor: one registry on one chain, as `--registry` and
 * `--chain-id` give it. The registry counts from block 0; the address may be in
 * any case (it is checksummed here).
 *
 * @example
 * const trust = trustAnchorOf({ chainId: "31337", registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
 */
export function trustAnchorOf({
  chainId,
  registry,
}: {
  chainId: string | number | bigint;
  registry: string;
}): TrustAnchor {
  let address: string;
  try {
    address = getAddress(registry.toLowerCase());
  } catch {
    throw new InvalidArgumentError(`the registry must be an address, got ${JSON.stringify(registry)}`);
  }
  return parseTrustAnchor({
    format: TRUST_ANCHOR_FORMAT,
    chainId: String(chainId),
    registries: [{ address, fromBlock: 0 }],
  });
}

/** The deployment among `deployments` at `address` that covers `blockNumber`, if any. */
export function trustedAt(
  deployments: readonly TrustedDeployment[] | undefined,
  address: string,
  blockNumber: number,
): TrustedDeployment | undefined {
  return deployments?.find(
    (d) =>
      d.address.toLowerCase() === address.toLowerCase() &&
      blockNumber >= d.fromBlock &&
      (d.untilBlock === undefined || blockNumber <= d.untilBlock),
  );
}
