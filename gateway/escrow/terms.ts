import { TypedDataEncoder, verifyTypedData } from "ethers";
import {
  chainDealId,
  ESCROW_TERMS_TYPES,
  escrowDomain,
  fileDigest,
  MAX_MILESTONES,
  type ContractMilestonePlan,
  type ErrorDetail,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import type { EscrowPort } from "../chain/escrow";
import { badRequest, conflict, GatewayError, forbidden, unprocessable } from "../errors";
import type { EvidenceRecorder, InlineFile } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import { activeKey, type User } from "../identity/types";
import type { UserService } from "../identity/users";
import type { MatchService } from "../market/matches";
import type { Deal } from "../market/types";
import type { EscrowRepository } from "./repository";
import { KeyedLock } from "../util/keyedLock";
import { asciiHex } from "./ascii";
import { escrowSubject, type EscrowAgreement, type TermsMessage } from "./types";
import type { EscrowTermsGate } from "../risk/gates";

export interface TermsInput {
  contract: InlineFile;
  currency: string;
  total: number;
  milestones: Array<{ title: string; amount: number; deliverBy: string }>;
  arbitratorId: string;
  inspectionPeriodSeconds: number;
  gracePeriodSeconds: number;
  maxChangeRounds: number;
  rulingPeriodSeconds: number;
  appealWindowSeconds: number;
  /** Deliveries are encrypted to the arbitrator too, not only to the demander (default: no). */
  deliverToArbitrator?: boolean;
}

/**
 * A proposal as a party sends it: a deal whose technology contract was signed in
 * its workspace takes the contract, currency, total and milestones from it (any
 * given must agree); a deal without one gives them.
 */
export type TermsProposal = Omit<TermsInput, "contract" | "currency" | "total" | "milestones"> &
  Partial<Pick<TermsInput, "contract" | "currency" | "total" | "milestones">>;

/** Where the escrow terms find a deal's signed technology contract (the deal workspace's contracts). */
export interface SignedContractSource {
  signedContractOf(
    dealId: string,
  ): Promise<
    { version: number; language: string; text: string; contractDigest: string; plan: ContractMilestonePlan } | undefined
  >;
}

/**
 * The escrow's terms (clause 6.8 and the transaction guarantee): a party of a
 * deal proposes them, both parties sign the EIP-712 `DealTerms` with their own
 * keys, and once both signatures are in the gateway submits them to the escrow,
 * which checks both signatures and both certifications itself, so the operator
 * cannot invent an agreement. Each step is an evidence record of the deal.
 */
export class EscrowTerms {
  private readonly lock = new KeyedLock();
  private contracts?: SignedContractSource;
  private risk?: EscrowTermsGate;

  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly matches: MatchService,
    private readonly escrow: EscrowPort,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The escrow's EIP-712 domain on this chain. */
  get domain() {
    return escrowDomain(this.escrow.chainId, this.escrow.address);
  }

  /** The typed data a party signs for `agreement`, ready for `signer.signTypedData`. */
  typedData(agreement: EscrowAgreement) {
    return {
      domain: { ...this.domain, chainId: this.escrow.chainId.toString() },
      types: ESCROW_TERMS_TYPES,
      primaryType: "DealTerms",
      message: agreement.message,
    };
  }

  /**
   * Takes deals' signed technology contracts from `source` (set once at start:
   * the deal workspace is built after the terms, and reads them).
   */
  useSignedContracts(source: SignedContractSource): void {
    this.contracts = source;
  }

  /** Asks risk control before terms are proposed (set once at start; docs/RISK.md). */
  useRiskGate(risk: EscrowTermsGate): void {
    this.risk = risk;
  }

  async propose(party: Principal, dealId: string, proposal: TermsProposal): Promise<EscrowAgreement> {
    const deal = await this.matches.getDeal(party, dealId);
    if (party.id !== deal.supplierId && party.id !== deal.demanderId) {
      throw forbidden("NOT_A_PARTY", "only the supplier or the demander of the deal proposes its escrow terms");
    }
    const { input, fromContract } = await this.withContract(dealId, proposal);
    // The contract refuses more; say so before the parties sign terms that cannot go on chain.
    if (input.milestones.length > MAX_MILESTONES) {
      throw unprocessable(
        "TOO_MANY_MILESTONES",
        `a deal has at most ${MAX_MILESTONES} milestones, not ${input.milestones.length}`,
      );
    }
    const sum = input.milestones.reduce((total, milestone) => total + milestone.amount, 0);
    if (sum !== input.total) {
      throw unprocessable(
        "AMOUNTS_DO_NOT_ADD_UP",
        `the milestones add up to ${sum} minor units, not the total ${input.total}`,
      );
    }
    // A signed contract was held to the deal's price when drafted (a royalty's escrow holds only its upfront fee).
    if (!fromContract && deal.price && (deal.price.amount !== input.total || deal.price.currency !== input.currency)) {
      throw unprocessable(
        "TOTAL_NOT_DEAL_PRICE",
        `the deal was agreed at ${deal.price.amount} ${deal.price.currency} (minor units); the total must be that`,
      );
    }
    const now = this.clock().getTime();
    input.milestones.forEach((milestone, index) => {
      if (Date.parse(milestone.deliverBy) <= now + 60_000) {
        throw unprocessable("DEADLINE_IN_PAST", `milestone ${index}'s deliverBy must be in the future`);
      }
    });
    const [supplier, demander] = await Promise.all([this.users.get(deal.supplierId), this.users.get(deal.demanderId)]);
    const arbitrator = await this.arbitrator(input.arbitratorId, deal);
    const supplierAddress = this.signingAddress(supplier, "supplier");
    const demanderAddress = this.signingAddress(demander, "demander");
    // Risk control may hold the terms (a large deal waits for a manager's approval) before anything is signed.
    await this.risk?.beforeEscrowTerms({
      dealId,
      supplierId: deal.supplierId,
      demanderId: deal.demanderId,
      total: input.total,
      currency: input.currency,
    });

    return this.lock.run([dealId], async () => {
      const previous = await this.tables.escrows.get(dealId);
      // Signed terms the escrow refused (a deadline passed while waiting) may still be replaced; terms on chain may not.
      if (previous?.status === "created") {
        throw conflict("TERMS_ALREADY_ON_CHAIN", "the escrow holds these terms already; they no longer change");
      }
      const chainId = chainDealId(dealId);
      const message: TermsMessage = {
        dealId: chainId,
        supplier: supplierAddress,
        demander: demanderAddress,
        arbitrator: this.signingAddress(arbitrator, "arbitrator"),
        contractDigest: "",
        currency: asciiHex(input.currency),
        amounts: input.milestones.map((milestone) => String(milestone.amount)),
        deadlines: input.milestones.map((milestone) => String(Math.floor(Date.parse(milestone.deliverBy) / 1000))),
        inspectionPeriod: input.inspectionPeriodSeconds,
        gracePeriod: input.gracePeriodSeconds,
        maxChangeRounds: input.maxChangeRounds,
        rulingPeriod: input.rulingPeriodSeconds,
        appealWindow: input.appealWindowSeconds,
      };
      const agreement = await this.recorder.write(async (unit) => {
        const sealed = await unit.seal({
          kind: "escrow.terms.proposed",
          subject: escrowSubject(dealId),
          data: {
            dealId,
            chainDealId: chainId,
            version: (previous?.version ?? 0) + 1,
            proposedBy: party.id,
            arbitratorId: arbitrator.id,
            currency: input.currency,
            total: input.total,
            milestones: input.milestones,
            deliverToArbitrator: input.deliverToArbitrator ?? false,
            periods: {
              inspectionPeriodSeconds: input.inspectionPeriodSeconds,
              gracePeriodSeconds: input.gracePeriodSeconds,
              maxChangeRounds: input.maxChangeRounds,
              rulingPeriodSeconds: input.rulingPeriodSeconds,
              appealWindowSeconds: input.appealWindowSeconds,
            },
          },
          files: [input.contract],
        });
        const file = (sealed.data.$files as Array<{ name: string; sha256: string }>)[0];
        // The contract digest the parties sign is the stored file's: known once the record holds it.
        message.contractDigest = file.sha256;
        const agreement: EscrowAgreement = {
          dealId,
          chainDealId: chainId,
          version: (previous?.version ?? 0) + 1,
          supplierId: supplier.id,
          demanderId: demander.id,
          arbitratorId: arbitrator.id,
          currency: input.currency,
          total: input.total,
          milestones: input.milestones,
          contract: { name: file.name, sha256: file.sha256 },
          deliverToArbitrator: input.deliverToArbitrator ?? false,
          message,
          termsDigest: TypedDataEncoder.hash(this.domain, ESCROW_TERMS_TYPES, message),
          proposedBy: party.id,
          proposedAt: sealed.header.recordedAt,
          recordId: sealed.header.id,
          signatures: {},
          status: "proposed",
        };
        unit.put(this.tables.escrows, dealId, agreement).put(this.tables.chainDeals, chainId, dealId);
        return agreement;
      });
      return agreement;
    });
  }

  /**
   * A party's signature of the standing terms. With both in, the deal is
   * submitted to the escrow; if the chain is away the terms stay `signed` and
   * the escrow watcher submits them when it is back.
   */
  async sign(
    party: Principal,
    dealId: string,
    signature: string,
  ): Promise<EscrowAgreement & { submissionError?: { code: string; message: string } }> {
    const deal = await this.matches.getDeal(party, dealId);
    const side = party.id === deal.supplierId ? "supplier" : party.id === deal.demanderId ? "demander" : undefined;
    if (!side) throw forbidden("NOT_A_PARTY", "only the supplier and the demander sign the escrow terms");
    const signed = await this.lock.run([dealId], async () => {
      const agreement = await this.get(dealId);
      if (agreement.status !== "proposed") {
        throw conflict("TERMS_ALREADY_SIGNED", "both parties signed these terms already");
      }
      const expected = agreement.message[side];
      let signer: string;
      try {
        signer = verifyTypedData(this.domain, ESCROW_TERMS_TYPES, agreement.message, signature);
      } catch {
        throw unprocessable("SIGNATURE_INVALID", "the signature is not a 65-byte ECDSA signature");
      }
      if (signer.toLowerCase() !== expected.toLowerCase()) {
        throw unprocessable(
          "WRONG_SIGNER",
          `the signature is by ${signer}, not by the ${side}'s signing key ${expected} (or it signs other terms: version ${agreement.version} is the standing one)`,
        );
      }
      const next: EscrowAgreement = structuredClone(agreement);
      await this.recorder.write(async (unit) => {
        const sealed = await unit.seal({
          kind: "escrow.terms.signed",
          subject: escrowSubject(dealId),
          data: { dealId, version: agreement.version, side, signer, signature, termsDigest: agreement.termsDigest },
        });
        next.signatures[side] = {
          signature,
          address: signer,
          at: sealed.header.recordedAt,
          recordId: sealed.header.id,
        };
        if (next.signatures.supplier && next.signatures.demander) next.status = "signed";
        unit.put(this.tables.escrows, dealId, next);
      });
      return next;
    });
    if (signed.status === "signed") {
      try {
        return await this.submit(dealId);
      } catch (error) {
        // The signature stands either way. The chain away, or refusing for now (an account not yet
        // certified on chain): the escrow watcher submits again. Say why it is not on chain yet.
        const reason = error instanceof GatewayError ? { code: error.code, message: error.message } : undefined;
        return { ...signed, submissionError: reason ?? { code: "CHAIN_UNAVAILABLE", message: String(error) } };
      }
    }
    return signed;
  }

  /** Submits signed terms to the escrow (idempotent: a deal already on chain is only recorded). */
  async submit(dealId: string): Promise<EscrowAgreement> {
    return this.lock.run([dealId], async () => {
      const agreement = await this.get(dealId);
      if (agreement.status !== "signed") return agreement;
      const terms = toContractTerms(agreement.message);
      let transactionHash = "";
      let blockNumber = 0;
      if ((await this.escrow.milestoneCount(agreement.chainDealId)) === 0) {
        ({ transactionHash, blockNumber } = await this.escrow.createDeal(
          terms,
          agreement.signatures.supplier!.signature,
          agreement.signatures.demander!.signature,
        ));
      } else {
        // On chain already: sent before a crash, before this was recorded. Find where.
        const created = await this.escrow.creationOf(agreement.chainDealId);
        transactionHash = created?.transactionHash ?? "";
        blockNumber = created?.blockNumber ?? 0;
      }
      const next: EscrowAgreement = { ...agreement, status: "created" };
      await this.recorder.write(async (unit) => {
        const sealed = await unit.seal({
          kind: "escrow.event",
          subject: escrowSubject(dealId),
          data: {
            event: "DealCreated",
            dealId,
            chainDealId: agreement.chainDealId,
            termsDigest: agreement.termsDigest,
            escrow: this.escrow.address,
            transactionHash,
            blockNumber,
          },
        });
        next.creation = { transactionHash, blockNumber, at: sealed.header.recordedAt, recordId: sealed.header.id };
        unit.put(this.tables.escrows, dealId, next);
      });
      return next;
    });
  }

  /** Signed terms not on chain yet (the chain was away when the second signature came). */
  async awaitingSubmission(): Promise<string[]> {
    const waiting: string[] = [];
    for await (const agreement of this.tables.escrows.values()) {
      if (agreement.status === "signed") waiting.push(agreement.dealId);
    }
    return waiting;
  }

  /** Whether user `me` is the arbitrator named in the deal's escrow terms. */
  async isArbitrator(me: string, dealId: string): Promise<boolean> {
    return (await this.tables.escrows.get(dealId))?.arbitratorId === me;
  }

  /** Where a deal's escrow stands: none yet, terms proposed or signed, or on chain (details at its link). */
  async standing(dealId: string) {
    const agreement = await this.tables.escrows.get(dealId);
    return agreement
      ? { status: agreement.status, termsVersion: agreement.version, link: `/v1/deals/${dealId}/escrow` }
      : { status: "none" as const, link: `/v1/deals/${dealId}/terms` };
  }

  async get(dealId: string): Promise<EscrowAgreement> {
    const agreement = await this.tables.escrows.get(dealId);
    if (!agreement) {
      throw new GatewayError(404, "NO_ESCROW_TERMS", "no escrow terms were proposed for this deal yet");
    }
    return agreement;
  }

  /**
   * The proposal completed from the deal's signed contract: its rendered text is
   * the terms' contract file (so the digest signed is the contract's), and its
   * payment clause the milestones (SDK `milestonesFromContract`), not typed again.
   * Whatever the proposal gives of these must agree with the contract.
   */
  private async withContract(
    dealId: string,
    proposal: TermsProposal,
  ): Promise<{ input: TermsInput; fromContract: boolean }> {
    const signed = await this.contracts?.signedContractOf(dealId);
    if (!signed) {
      const { contract, currency, total, milestones } = proposal;
      if (!contract || !currency || total === undefined || !milestones) {
        throw badRequest(
          "TERMS_INCOMPLETE",
          "the deal has no signed contract in its workspace: give the contract file, currency, total and milestones",
        );
      }
      return { input: { ...proposal, contract, currency, total, milestones }, fromContract: false };
    }
    const { plan } = signed;
    if (plan.milestones.length === 0) {
      throw unprocessable(
        "CONTRACT_ESCROWS_NOTHING",
        "the signed contract pays royalties without an upfront fee: nothing of it goes to the escrow",
      );
    }
    const details: ErrorDetail[] = [];
    const differ = (path: string, given: unknown, contract: unknown) =>
      details.push({
        path: `body.${path}`,
        code: "DIFFERS_FROM_CONTRACT",
        message: `given ${JSON.stringify(given)}; the signed contract says ${JSON.stringify(contract)}`,
      });
    if (proposal.contract && fileDigest(proposal.contract.bytes) !== signed.contractDigest) {
      differ("contract", fileDigest(proposal.contract.bytes), signed.contractDigest);
    }
    if (proposal.currency !== undefined && proposal.currency !== plan.currency) {
      differ("currency", proposal.currency, plan.currency);
    }
    if (proposal.total !== undefined && proposal.total !== plan.total) differ("total", proposal.total, plan.total);
    if (proposal.milestones) {
      if (proposal.milestones.length !== plan.milestones.length) {
        differ("milestones", proposal.milestones.length, plan.milestones.length);
      }
      proposal.milestones.slice(0, plan.milestones.length).forEach((given, i) => {
        const planned = plan.milestones[i];
        if (given.amount !== planned.amount) differ(`milestones.${i}.amount`, given.amount, planned.amount);
        if (Date.parse(given.deliverBy) !== Date.parse(planned.deliverBy)) {
          differ(`milestones.${i}.deliverBy`, given.deliverBy, planned.deliverBy);
        }
      });
    }
    if (details.length > 0) {
      throw new GatewayError(
        422,
        "TERMS_DISAGREE_WITH_CONTRACT",
        `the terms disagree with the deal's signed contract (version ${signed.version}): ${details[0].path} ${details[0].message}`,
        { details },
      );
    }
    const contract = {
      name: `contract-v${signed.version}-${signed.language}.txt`,
      mediaType: "text/plain; charset=utf-8",
      bytes: Buffer.from(signed.text, "utf8"),
    };
    return {
      input: {
        ...proposal,
        contract,
        currency: plan.currency,
        total: plan.total,
        // The given titles may be worded otherwise; amounts and deadlines are the contract's.
        milestones: plan.milestones.map((m, i) => ({ ...m, title: proposal.milestones?.[i]?.title ?? m.title })),
      },
      fromContract: true,
    };
  }

  private async arbitrator(id: string, deal: Deal): Promise<User> {
    const arbitrator = await this.users.find(id);
    if (!arbitrator || !arbitrator.roles.some((grant) => grant.role === "arbitrator")) {
      throw unprocessable("NOT_AN_ARBITRATOR", `${id} is not an account holding the arbitrator role`);
    }
    if ([deal.supplierId, deal.demanderId, deal.brokerId].includes(arbitrator.id)) {
      throw unprocessable("ARBITRATOR_NOT_NEUTRAL", "the arbitrator may not be a party or the broker of the deal");
    }
    assertMayTrade(arbitrator);
    return arbitrator;
  }

  private signingAddress(user: User, side: string): string {
    assertMayTrade(user);
    const address = activeKey(user.signingKeys);
    if (!address) throw unprocessable("NO_SIGNING_KEY", `the ${side} has no signing key to sign the escrow with`);
    return address;
  }
}

/** The terms as the contract's `Terms` struct. */
export function toContractTerms(message: TermsMessage) {
  return {
    ...message,
    amounts: message.amounts.map(BigInt),
    deadlines: message.deadlines.map(BigInt),
  };
}
