// Regenerates test/vectors/escrow.json from fixed inputs: the EIP-712 terms and moves the
// escrow checks, the statement digests parties sign as a move's data, and the chain deal ids.
// The SDK tests (test/sdk/escrow/vectors.test.ts) and the contract tests
// (test/contracts/DealEscrow.vectors.test.ts) both read it, so the two cannot drift apart.
// A change here that is not a deliberate format change is a bug.
// Usage: npx tsx scripts/make-escrow-vectors.ts
import { writeFileSync } from "node:fs";
import path from "node:path";
import { getCreateAddress, id, TypedDataEncoder, Wallet } from "ethers";
import {
  chainDealId,
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  ESCROW_TERMS_TYPES,
  escrowDomain,
  statementDigest,
} from "../sdk";

/** Test keys, public on purpose: they sign nothing but these vectors. */
const key = (name: string) => new Wallet(id(`tech-transfer-ledger vector key: ${name}`));
const [deployer, supplier, demander, arbitrator] = ["deployer", "supplier", "demander", "arbitrator"].map(key);

// Hardhat's in-process chain id; the escrow is the deployer's second contract (after its library).
const CHAIN_ID = 31337;
const escrowAddress = getCreateAddress({ from: deployer.address, nonce: 1 });
const domain = escrowDomain(CHAIN_ID, escrowAddress);

const platformDealIds = ["deal_5f0c3e9a1b2d4c6e8f0a1b2c", "deal_000000000000000000000000", "交易-1"];

const utf8 = (text: string) => new TextEncoder().encode(text);
const statements = [
  { text: "Delivered v1.2 of the recycling process package" },
  {
    text: "交付第一阶段：工艺包与操作手册",
    files: [
      { name: "process-package-v1.2.pdf", bytes: utf8("%PDF-1.7 vector") },
      { name: "手册.txt", bytes: new Uint8Array([0, 1, 2, 254, 255]) },
    ],
    records: ["00000000-0000-4000-8000-000000000001"],
  },
  { text: "The delivered yield is 62%, not the 90% of annex 2", records: [] },
];
const statementVectors = statements.map((statement) => ({
  statement: {
    text: statement.text,
    ...(statement.files
      ? { files: statement.files.map((file) => ({ name: file.name, hex: Buffer.from(file.bytes).toString("hex") })) }
      : {}),
    ...(statement.records ? { records: statement.records } : {}),
  },
  digest: statementDigest(statement),
}));

const dealId = chainDealId(platformDealIds[0]);
const terms = {
  dealId,
  supplier: supplier.address,
  demander: demander.address,
  arbitrator: arbitrator.address,
  contractDigest: id("technology transfer contract, vector"),
  currency: "0x434e59", // "CNY"
  amounts: ["400000", "800000"],
  deadlines: ["4102444800", "4133980800"], // 2100-01-01 and 2101-01-01 (UTC)
  inspectionPeriod: 7 * 86_400,
  gracePeriod: 2 * 86_400,
  maxChangeRounds: 2,
  rulingPeriod: 14 * 86_400,
  appealWindow: 5 * 86_400,
};

/**
 * Moves in the order the contract test makes them, each with the nonce the milestone has by then:
 * the bank's deposit counts one move, so the first party move on a milestone carries nonce 1.
 */
const moves = [
  { name: "deliver", signer: supplier, milestone: 0, nonce: 1, data: statementVectors[1].digest },
  { name: "accept", signer: demander, milestone: 0, nonce: 2 },
  { name: "open-dispute", signer: demander, milestone: 1, nonce: 1, data: statementVectors[2].digest },
  { name: "propose-settlement", signer: supplier, milestone: 1, nonce: 2, release: "500000", refund: "300000" },
  { name: "accept-settlement", signer: demander, milestone: 1, nonce: 3, release: "500000", refund: "300000" },
] as const;

async function main() {
  const actions = [];
  for (const move of moves) {
    const value = {
      dealId,
      milestone: move.milestone,
      action: ESCROW_ACTIONS[move.name].action,
      data: "data" in move ? move.data : `0x${"00".repeat(32)}`,
      release: "release" in move ? move.release : "0",
      refund: "refund" in move ? move.refund : "0",
      nonce: move.nonce,
    };
    actions.push({
      name: move.name,
      signer: move.signer.address,
      value,
      structHash: TypedDataEncoder.hashStruct("MilestoneAction", ESCROW_ACTION_TYPES, value),
      digest: TypedDataEncoder.hash(domain, ESCROW_ACTION_TYPES, value),
      signature: await move.signer.signTypedData(domain, ESCROW_ACTION_TYPES, value),
    });
  }
  const vectors = {
    description:
      "Golden vectors of the escrow's formats (docs/ESCROW.md): chain deal ids, statement digests, and the " +
      "EIP-712 terms and moves with their signatures. The keys are test keys, published on purpose.",
    domain: { ...domain, chainId: String(CHAIN_ID) },
    deployer: { privateKey: deployer.privateKey, address: deployer.address, escrowNonce: 1 },
    accounts: Object.fromEntries(
      Object.entries({ supplier, demander, arbitrator }).map(([name, wallet]) => [
        name,
        { privateKey: wallet.privateKey, address: wallet.address },
      ]),
    ),
    chainDealIds: platformDealIds.map((platformId) => ({ dealId: platformId, chainDealId: chainDealId(platformId) })),
    statements: statementVectors,
    terms: {
      value: terms,
      structHash: TypedDataEncoder.hashStruct("DealTerms", ESCROW_TERMS_TYPES, terms),
      digest: TypedDataEncoder.hash(domain, ESCROW_TERMS_TYPES, terms),
      signatures: {
        supplier: await supplier.signTypedData(domain, ESCROW_TERMS_TYPES, terms),
        demander: await demander.signTypedData(domain, ESCROW_TERMS_TYPES, terms),
      },
    },
    actions,
  };
  writeFileSync(path.join(__dirname, "..", "test", "vectors", "escrow.json"), `${JSON.stringify(vectors, null, 2)}\n`);
  console.log("wrote test/vectors/escrow.json");
}

void main();
