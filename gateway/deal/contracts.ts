import { verifyTypedData } from "ethers";
import {
  contractDigest,
  contractFieldsSchema,
  contractTypedData,
  diffContractVersions,
  milestonesFromContract,
  registrationRecord,
  renderContract,
  type ContractFields,
  type ContractLanguage,
  type ErrorDetail,
  type RegistrationRecord,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { badRequest, conflict, forbidden, GatewayError, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import { dealSubject } from "../market/types";
import type { DealRepository } from "./repository";
import type { DealActor } from "./states";
import type { ContractVersion, DealContract, DealWorkspace } from "./types";
import { assertNotArchived, type DealStanding, type DealWorkspaces } from "./workspace";

/** Who drafts a contract: the parties, and the broker and manager who help them (only the parties sign). */
const DRAFTERS: readonly DealActor[] = ["supplier", "demander", "broker", "manager"];

/** The signed contract as the escrow terms take it: its text (stored as the terms' contract file) and its plan. */
export interface SignedContract {
  version: number;
  language: ContractLanguage;
  text: string;
  contractDigest: string;
  plan: ReturnType<typeof milestonesFromContract>;
}

/**
 * The technology contract of a deal (clause 6.7, Civil Code art. 843–887): the
 * parties (helped by the broker or manager) draft it from the SDK's template of
 * its type, filling the fields the SDK's schema checks; each new version keeps
 * what changed; the gateway renders the text with the SDK's `renderContract`,
 * so anyone renders the same bytes; both parties sign the last version's
 * EIP-712 `TechnologyContract` with the keys they sign escrow terms with. The
 * signed contract is a `contract.signed` record whose digest is the
 * `contractDigest` the escrow terms then carry, and its payment clause gives the
 * escrow's milestones. Drafts and signatures are `contract.drafted` records.
 */
export class DealContracts {
  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly workspaces: DealWorkspaces,
    /** The chain and escrow of the contract's EIP-712 domain (the escrow the terms go to). */
    private readonly chain: { chainId: bigint; escrow: string },
  ) {}

  /** The first draft: the contract's type and language, and its fields (checked by the SDK's schema). */
  async draft(caller: Principal, dealId: string, input: { language: ContractLanguage; fields: unknown }) {
    await this.workspaces.prepare(dealId);
    return this.workspaces.lock.run([`${dealId}:contract`], async () => {
      const { workspace } = await this.drafter(caller, dealId);
      if (await this.tables.contracts.get(dealId)) {
        throw conflict("CONTRACT_ALREADY_DRAFTED", "the deal has a contract draft already: propose a new version");
      }
      const fields = parseFields(input.fields);
      assertPrice(workspace, fields);
      const rendered = renderContract(fields.type, input.language, fields);
      return this.recorder.write(async (unit) => {
        const digest = contractDigest(rendered.text);
        const record = await unit.seal({
          kind: "contract.drafted",
          subject: dealSubject(dealId),
          data: {
            type: "draft",
            contractType: fields.type,
            version: 1,
            language: input.language,
            contractDigest: digest,
            fields,
            by: caller.id,
          },
        });
        const contract: DealContract = {
          dealId,
          contractType: fields.type,
          status: "drafting",
          versions: [
            {
              version: 1,
              language: input.language,
              fields,
              contractDigest: digest,
              changes: [],
              by: caller.id,
              at: record.header.recordedAt,
              recordId: record.header.id,
            },
          ],
          signatures: {},
        };
        unit.put(this.tables.contracts, dealId, contract);
        return this.withTypedData(contract);
      });
    });
  }

  /** A new version of the draft, with what changed since the last; the signatures of the last one lapse. */
  async revise(caller: Principal, dealId: string, input: { language?: ContractLanguage; fields: unknown }) {
    return this.workspaces.lock.run([`${dealId}:contract`], async () => {
      const { workspace } = await this.drafter(caller, dealId);
      const contract = await this.drafting(dealId);
      const fields = parseFields(input.fields);
      if (fields.type !== contract.contractType) {
        throw unprocessable(
          "CONTRACT_TYPE_FIXED",
          `the deal's contract is a ${contract.contractType} contract; a ${fields.type} contract is a new deal`,
        );
      }
      assertPrice(workspace, fields);
      const last = contract.versions.at(-1)!;
      const language = input.language ?? last.language;
      const changes = diffContractVersions(last.fields, fields);
      if (language !== last.language)
        changes.unshift({ path: "$language", change: "changed", before: last.language, after: language });
      if (changes.length === 0) throw conflict("CONTRACT_UNCHANGED", `version ${last.version} says this already`);
      const rendered = renderContract(fields.type, language, fields);
      const version = last.version + 1;
      return this.recorder.write(async (unit) => {
        const digest = contractDigest(rendered.text);
        const record = await unit.seal({
          kind: "contract.drafted",
          subject: dealSubject(dealId),
          data: {
            type: "version",
            contractType: fields.type,
            version,
            language,
            contractDigest: digest,
            changes,
            fields,
            by: caller.id,
          },
        });
        const next: DealContract = {
          ...contract,
          versions: [
            ...contract.versions,
            {
              version,
              language,
              fields,
              contractDigest: digest,
              changes,
              by: caller.id,
              at: record.header.recordedAt,
              recordId: record.header.id,
            },
          ],
          signatures: {},
        };
        unit.put(this.tables.contracts, dealId, next);
        return this.withTypedData(next);
      });
    });
  }

  /** The contract with its versions (fields and what changed) and the typed data of the last one, for participants. */
  async view(viewer: Principal, dealId: string) {
    await this.workspaces.standing(viewer, dealId);
    return this.withTypedData(await this.contractOf(dealId));
  }

  /** One version rendered: its text (what is signed), its HTML, its digest and the typed data to sign it. */
  async version(viewer: Principal, dealId: string, version: number) {
    await this.workspaces.standing(viewer, dealId);
    const contract = await this.contractOf(dealId);
    const found = versionOf(contract, version);
    const { text, html } = renderContract(contract.contractType, found.language, found.fields);
    return { ...found, contractType: contract.contractType, text, html, typedData: this.typedData(contract, found) };
  }

  /**
   * A party's EIP-712 signature of the last version, by the key the party signs
   * escrow terms with (any other key is refused). With both in, the contract is
   * signed: a `contract.signed` record, and the deal's price is fixed.
   */
  async sign(caller: Principal, dealId: string, input: { version: number; signature: string }) {
    await this.workspaces.prepare(dealId);
    // The deal's own key too: signing fixes the price in the workspace row.
    return this.workspaces.lock.run([dealId, `${dealId}:contract`], async () => {
      const { workspace, actors } = await this.workspaces.standing(caller, dealId);
      const side = actors.find((a): a is "supplier" | "demander" => a === "supplier" || a === "demander");
      if (!side) throw forbidden("PARTIES_ONLY", "a technology contract is signed by the parties of the deal");
      assertNotArchived(workspace);
      const user = await this.users.get(caller.id);
      assertMayTrade(user);
      const contract = await this.drafting(dealId);
      const last = contract.versions.at(-1)!;
      if (input.version !== last.version) {
        throw conflict(
          "CONTRACT_VERSION_SUPERSEDED",
          `version ${input.version} is not the last: version ${last.version} is the one to sign`,
        );
      }
      if (contract.signatures[side])
        throw conflict("ALREADY_SIGNED", `the ${side} signed version ${last.version} already`);
      const expected = activeKey(user.signingKeys);
      if (!expected) throw unprocessable("NO_SIGNING_KEY", `the ${side} has no signing key`);
      const typed = this.typedData(contract, last);
      let signer: string;
      try {
        signer = verifyTypedData(typed.domain, typed.types, typed.message, input.signature);
      } catch {
        throw badRequest("SIGNATURE_INVALID", "the signature is not a 65-byte ECDSA signature");
      }
      if (signer.toLowerCase() !== expected.toLowerCase()) {
        throw unprocessable(
          "WRONG_SIGNER",
          `the signature is by ${signer}, not by the ${side}'s signing key ${expected} (or it signs another version)`,
        );
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "contract.drafted",
          subject: dealSubject(dealId),
          data: {
            type: "signature",
            version: last.version,
            side,
            signer,
            signature: input.signature,
            contractDigest: last.contractDigest,
          },
        });
        const at = record.header.recordedAt;
        const signatures = {
          ...contract.signatures,
          [side]: { signer, signature: input.signature, at, recordId: record.header.id },
        };
        let next: DealContract = { ...contract, signatures };
        if (signatures.supplier && signatures.demander) {
          const plan = milestonesFromContract(last.fields, last.language);
          const price = { amount: registrationRecord(last.fields).json.amount, currency: plan.currency };
          const signed = await unit.seal({
            kind: "contract.signed",
            subject: dealSubject(dealId),
            data: {
              contractType: contract.contractType,
              version: last.version,
              language: last.language,
              contractDigest: last.contractDigest,
              price,
              milestones: plan.milestones,
              supplier: signatures.supplier.signer,
              supplierSignature: signatures.supplier.signature,
              demander: signatures.demander.signer,
              demanderSignature: signatures.demander.signature,
            },
          });
          next = {
            ...next,
            status: "signed",
            signed: {
              version: last.version,
              contractDigest: last.contractDigest,
              price,
              at: signed.header.recordedAt,
              recordId: signed.header.id,
            },
          };
          // A negotiated price is fixed when the contract is signed; a listed or bid price was fixed already.
          const workspace = (await this.tables.workspaces.get(dealId))!;
          if (!workspace.price) unit.put(this.tables.workspaces, dealId, { ...workspace, price, updatedAt: at });
        }
        unit.put(this.tables.contracts, dealId, next);
        return this.withTypedData(next);
      });
    });
  }

  /** The registration data (技术合同认定登记) of the signed contract, for the parties and the overseers. */
  async registration(viewer: Principal, dealId: string) {
    const { actors, overseer } = await this.workspaces.standing(viewer, dealId);
    if (!overseer && !actors.includes("supplier") && !actors.includes("demander")) {
      throw forbidden(
        "PARTIES_AND_OVERSEERS",
        "the registration data is for the parties, the auditor and the operator",
      );
    }
    const contract = await this.contractOf(dealId);
    if (contract.status !== "signed" || !contract.signed) {
      throw conflict("CONTRACT_NOT_SIGNED", "the registration data is exported from a signed contract");
    }
    const version = versionOf(contract, contract.signed.version);
    return registrationRecord(version.fields, {
      contractDigest: contract.signed.contractDigest,
      signedAt: contract.signed.at,
    });
  }

  /**
   * The deal's signed contract, for the escrow terms (`EscrowTerms`): its text
   * and the milestone plan of its payment clause. Undefined while there is none.
   */
  async signedContractOf(dealId: string): Promise<SignedContract | undefined> {
    const contract = await this.tables.contracts.get(dealId);
    if (contract?.status !== "signed" || !contract.signed) return undefined;
    const version = versionOf(contract, contract.signed.version);
    const { text } = renderContract(contract.contractType, version.language, version.fields);
    return {
      version: version.version,
      language: version.language,
      text,
      contractDigest: contract.signed.contractDigest,
      plan: milestonesFromContract(version.fields, version.language),
    };
  }

  /**
   * The signed contract's registration data (type, payment mode, amount) without a
   * caller, for the statistics, which check their caller themselves. Undefined while none is signed.
   */
  async signedRegistrationOf(dealId: string): Promise<RegistrationRecord | undefined> {
    const contract = await this.tables.contracts.get(dealId);
    if (contract?.status !== "signed" || !contract.signed) return undefined;
    const version = versionOf(contract, contract.signed.version);
    return registrationRecord(version.fields, {
      contractDigest: contract.signed.contractDigest,
      signedAt: contract.signed.at,
    }).json;
  }

  /** The signed contract's payment clause (royalty statements read its rate). Undefined while none is signed. */
  async signedPaymentOf(dealId: string): Promise<ContractFields["payment"] | undefined> {
    const contract = await this.tables.contracts.get(dealId);
    if (contract?.status !== "signed" || !contract.signed) return undefined;
    return (versionOf(contract, contract.signed.version).fields as ContractFields).payment;
  }

  private typedData(contract: DealContract, version: ContractVersion) {
    return contractTypedData({
      chainId: Number(this.chain.chainId),
      escrow: this.chain.escrow,
      dealId: contract.dealId,
      contractType: contract.contractType,
      language: version.language,
      version: version.version,
      contractDigest: version.contractDigest,
    });
  }

  private withTypedData(contract: DealContract) {
    return { ...contract, typedData: this.typedData(contract, contract.versions.at(-1)!) };
  }

  private async contractOf(dealId: string): Promise<DealContract> {
    const contract = await this.tables.contracts.get(dealId);
    if (!contract) throw notFound("NO_CONTRACT", "no technology contract was drafted in this deal yet");
    return contract;
  }

  /** The contract while it is a draft: once signed it changes no more. */
  private async drafting(dealId: string): Promise<DealContract> {
    const contract = await this.contractOf(dealId);
    if (contract.status === "signed") {
      throw conflict("CONTRACT_SIGNED", `both parties signed version ${contract.signed!.version}; it changes no more`);
    }
    return contract;
  }

  /** A party, the broker or the manager, while the deal is in its contracting stage (6.7). */
  private async drafter(caller: Principal, dealId: string): Promise<DealStanding> {
    const standing = await this.workspaces.standing(caller, dealId);
    if (!standing.actors.some((actor) => DRAFTERS.includes(actor))) {
      throw forbidden("NOT_A_NEGOTIATOR", "the contract is drafted by the deal's parties, broker and manager");
    }
    if (standing.workspace.state !== "contracting") {
      throw conflict(
        "DEAL_NOT_CONTRACTING",
        `the deal is ${standing.workspace.state}: the contract is drafted once the deal is contracting (move begin_contracting)`,
      );
    }
    if (standing.actors.includes("supplier") || standing.actors.includes("demander")) {
      assertMayTrade(await this.users.get(caller.id));
    }
    return standing;
  }
}

/** The fields by the SDK's schema, every problem answered as `error.details`. */
function parseFields(fields: unknown): ContractFields {
  const parsed = contractFieldsSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    path: ["body", "fields", ...issue.path].join("."),
    code: issue.code.toUpperCase(),
    message: issue.message,
  }));
  throw new GatewayError(
    422,
    "CONTRACT_FIELDS_INVALID",
    `the contract's fields are incomplete or wrong: ${details[0].path}: ${details[0].message}`,
    { details },
  );
}

/** A deal whose price was fixed (a listed price taken, an auction or bidding won) has a contract at that price. */
function assertPrice(workspace: DealWorkspace, fields: ContractFields) {
  const price = workspace.price;
  if (!price || fields.payment.mode === "royalty") return;
  if (fields.payment.total !== price.amount || fields.payment.currency !== price.currency) {
    throw unprocessable(
      "CONTRACT_NOT_DEAL_PRICE",
      `the deal was agreed at ${price.amount} ${price.currency} (minor units); the contract's total must be that`,
    );
  }
}

function versionOf(contract: DealContract, version: number): ContractVersion {
  const found = contract.versions.find((v) => v.version === version);
  if (!found)
    throw notFound("CONTRACT_VERSION_NOT_FOUND", `the contract has versions 1 to ${contract.versions.length}`);
  return found;
}
