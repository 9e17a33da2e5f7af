import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import { MILESTONE_STATES } from "tech-transfer-ledger/sdk";
import { describeChainError, type ChainClient } from "../chain/client";
import { GatewayError } from "../errors";

/** Why the escrow refused a move, in words for the person who asked; codes are stable. */
const REFUSALS: Record<string, { status: number; code: string; say: (args: readonly unknown[]) => string }> = {
  DealEscrowDealExists: { status: 409, code: "ESCROW_DEAL_EXISTS", say: () => "the deal is already on chain" },
  DealEscrowUnknownDeal: { status: 404, code: "ESCROW_UNKNOWN_DEAL", say: () => "the deal is not on chain" },
  DealEscrowUnknownMilestone: {
    status: 404,
    code: "MILESTONE_NOT_FOUND",
    say: (a) => `the deal has ${a[2]} milestones, numbered from 0`,
  },
  DealEscrowInvalidParties: {
    status: 422,
    code: "INVALID_PARTIES",
    say: () => "supplier, demander and arbitrator must be three different accounts",
  },
  DealEscrowInvalidDeadline: {
    status: 422,
    code: "DEADLINE_IN_PAST",
    say: (a) => `milestone ${a[1]}'s delivery deadline has passed; propose new terms`,
  },
  DealEscrowNotCertified: {
    status: 422,
    code: "PARTY_NOT_CERTIFIED",
    say: (a) => `the account ${a[1]} is not certified on chain (yet): only certified accounts may enter an escrow`,
  },
  DealEscrowInvalidSignature: {
    status: 422,
    code: "WRONG_SIGNER",
    say: () => "a signature is not the named party's signature of these terms",
  },
  DealEscrowUnauthorized: {
    status: 422,
    code: "WRONG_SIGNER",
    say: (a) => `the move is signed by ${a[1]}, but only ${a[2]} may make it`,
  },
  DealEscrowNotParty: { status: 422, code: "WRONG_SIGNER", say: (a) => `${a[1]} is not a party of the deal` },
  DealEscrowInvalidState: {
    status: 409,
    code: "WRONG_MILESTONE_STATE",
    say: (a) => `milestone ${a[1]} is ${MILESTONE_STATES[Number(a[2])]}: that move is not possible now`,
  },
  DealEscrowTooEarly: {
    status: 409,
    code: "TOO_EARLY",
    say: (a) => `not yet: that move opens after escrow time ${a[2]} (now ${a[3]})`,
  },
  DealEscrowTooLate: {
    status: 409,
    code: "TOO_LATE",
    say: (a) => `too late: that move closed at escrow time ${a[2]} (now ${a[3]})`,
  },
  DealEscrowCurrencyMismatch: {
    status: 422,
    code: "CURRENCY_MISMATCH",
    say: () => "the currency is not the deal's",
  },
  DealEscrowDepositTooSmall: {
    status: 422,
    code: "DEPOSIT_BELOW_AMOUNT",
    say: (a) => `the deposit ${a[3]} is below the milestone's amount ${a[2]}`,
  },
  DealEscrowChangeRoundsExhausted: {
    status: 409,
    code: "CHANGE_ROUNDS_EXHAUSTED",
    say: (a) => `the terms allow ${a[2]} change requests per milestone, all used`,
  },
  DealEscrowSplitMismatch: {
    status: 422,
    code: "SPLIT_DOES_NOT_ADD_UP",
    say: (a) => `release ${a[3]} plus refund ${a[4]} must equal the locked amount ${a[2]}`,
  },
  DealEscrowNoProposal: { status: 409, code: "NO_PROPOSAL", say: () => "there is no settlement proposal to accept" },
  DealEscrowProposalMismatch: {
    status: 409,
    code: "PROPOSAL_MISMATCH",
    say: (a) => `the standing proposal releases ${a[2]}, not ${a[3]}`,
  },
  DealEscrowInstructionFailed: {
    status: 409,
    code: "INSTRUCTION_FAILED",
    say: () => "the bank reported the instruction failed; it must be reissued first",
  },
  DealEscrowInstructionNotFailed: {
    status: 409,
    code: "INSTRUCTION_NOT_FAILED",
    say: () => "only an instruction the bank reported failed can be reissued",
  },
  EnforcedPause: { status: 409, code: "ESCROW_PAUSED", say: () => "the escrow is paused by its admin; try later" },
};

/**
 * The escrow's refusal as a 4xx error a person understands, when `error` is a
 * revert with one of the escrow's custom errors; undefined otherwise.
 */
export function escrowRefusal(chain: ChainClient, error: unknown): GatewayError | undefined {
  const data = (error as { data?: string; info?: { error?: { data?: string } } }).data;
  if (typeof data !== "string" || data.length < 10) return undefined;
  const parsed = chain.escrow.interface.parseError(data);
  if (!parsed) return undefined;
  const refusal = REFUSALS[parsed.name];
  if (!refusal) return new GatewayError(409, "ESCROW_REFUSED", `the escrow refused the move (${parsed.name})`);
  return new GatewayError(refusal.status, refusal.code, refusal.say([...parsed.args]));
}

/**
 * Sends an escrow transaction the way every escrow write does: simulated first,
 * so a refusal comes back as a clear 4xx before anything is sent; then sent and
 * waited for. A chain that does not answer is a 503 the caller may retry.
 */
export async function sendEscrowCall(
  chain: ChainClient,
  call: {
    simulate: () => Promise<unknown>;
    send: (overrides: { gasPrice: bigint; type: number }) => Promise<ContractTransactionResponse>;
  },
): Promise<TransactionReceipt> {
  try {
    await call.simulate();
  } catch (error) {
    throw escrowRefusal(chain, error) ?? unavailable(error);
  }
  try {
    return await chain.sendAndWait(call.send);
  } catch (error) {
    throw escrowRefusal(chain, error) ?? unavailable(error);
  }
}

function unavailable(error: unknown): GatewayError {
  return new GatewayError(
    503,
    "CHAIN_UNAVAILABLE",
    `the chain did not take the transaction (${describeChainError(error)}); nothing was changed, try again`,
    { headers: { "Retry-After": "5" } },
  );
}
