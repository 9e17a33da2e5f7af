import { reconciliation, type ReconciliationStatement } from "./reconciliation";
import { randomBytes } from "node:crypto";
import { encodeBytes32String } from "ethers";
import type { Principal } from "../auth/roles";
import type { EscrowPort } from "../chain/escrow";
import { badRequest, conflict, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { milestoneKey, type EscrowRepository } from "./repository";
import type { KeyedLock } from "../util/keyedLock";
import { asciiHex } from "./ascii";
import { escrowSubject, type BankStatus, type DepositReport, type EscrowAgreement, type Instruction } from "./types";

export interface DepositInput {
  dealId: string;
  milestone: number;
  currency: string;
  amount: number;
  bankRef: string;
  payer?: string;
}

export interface StatusInput {
  status: Exclude<BankStatus, "pending">;
  bankRef?: string;
  reason?: string;
}

/** The call the bank makes on the escrow with its own key, spelled out for its integrator. */
export interface EscrowCall {
  contract: string;
  function: "lockDeposit" | "confirmInstruction" | "reportInstructionFailed";
  args: Array<string | number>;
}

/**
 * The supervising bank's side (clause 6.8.1, the transaction guarantee): it
 * reports the deposits it received and the status of each instruction it was
 * given (ISO 20022 words: accepted, settled, rejected with a reason code), and
 * attests the same on the escrow with its own key; the gateway checks each
 * report against its records and the chain and answers what to attest. What the
 * bank reports and what the chain shows meet in the daily reconciliation.
 */
export class BankService {
  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly escrow: EscrowPort,
    private readonly fundLock: KeyedLock,
  ) {}

  async reportDeposit(bank: Principal, input: DepositInput): Promise<{ deposit: DepositReport; attest: EscrowCall }> {
    const agreement = await this.tables.escrows.get(input.dealId);
    if (!agreement) throw notFound("DEAL_NOT_FOUND", `no escrowed deal with id ${input.dealId}`);
    if (agreement.status !== "created") {
      throw conflict("ESCROW_NOT_ON_CHAIN", "the deal's escrow is not on chain yet: no deposit is expected for it");
    }
    if (input.milestone >= agreement.milestones.length) {
      throw notFound(
        "MILESTONE_NOT_FOUND",
        `deal ${input.dealId} has ${agreement.milestones.length} milestones, numbered from 0`,
      );
    }
    if (input.currency !== agreement.currency) {
      throw unprocessable("CURRENCY_MISMATCH", `the deal is in ${agreement.currency}, not ${input.currency}`);
    }
    return this.fundLock.run([`${input.dealId}:${input.milestone}`], async () => {
      const { state } = await this.escrow.milestone(agreement.chainDealId, input.milestone);
      if (state !== "pending") {
        throw conflict(
          "MILESTONE_NOT_PENDING",
          `milestone ${input.milestone} is ${state}: it takes no deposit; return the money to the payer`,
        );
      }
      const amount = agreement.milestones[input.milestone].amount;
      if (input.amount < amount) {
        throw unprocessable(
          "DEPOSIT_BELOW_AMOUNT",
          `milestone ${input.milestone} is ${amount} minor units; ${input.amount} is short (hold partial payments until they add up)`,
        );
      }
      const waiting = await this.tables.waitingDeposits.get(milestoneKey(input.dealId, input.milestone));
      if (waiting) {
        throw conflict(
          "DEPOSIT_ALREADY_REPORTED",
          `a deposit for milestone ${input.milestone} was reported already (${waiting}); attest it on the escrow`,
        );
      }
      if (await this.tables.bankRefs.get(`deposit:${input.bankRef}`)) {
        throw conflict("BANK_REF_USED", `the bank reference ${input.bankRef} was used for another deposit`);
      }
      const depositId = `dep_${randomBytes(12).toString("hex")}`;
      const deposit = await this.recorder.write(async (unit) => {
        const sealed = await unit.seal({
          kind: "bank.report",
          subject: escrowSubject(input.dealId),
          data: { report: "deposit", depositId, by: bank.id, ...input },
        });
        const deposit: DepositReport = {
          id: depositId,
          dealId: input.dealId,
          milestone: input.milestone,
          currency: input.currency,
          amount: input.amount,
          bankRef: input.bankRef,
          payer: input.payer,
          reportedAt: sealed.header.recordedAt,
          recordId: sealed.header.id,
          status: "reported",
        };
        unit
          .put(this.tables.deposits, deposit.id, deposit)
          .put(this.tables.bankRefs, `deposit:${input.bankRef}`, deposit.id)
          .add(this.tables.waitingDeposits.put(milestoneKey(input.dealId, input.milestone), deposit.id));
        return deposit;
      });
      return {
        deposit,
        attest: this.call("lockDeposit", [
          agreement.chainDealId,
          input.milestone,
          asciiHex(input.currency),
          input.amount,
          encodeBytes32String(input.bankRef),
        ]),
      };
    });
  }

  async reportStatus(
    bank: Principal,
    id: string,
    input: StatusInput,
  ): Promise<{ instruction: Instruction; attest?: EscrowCall }> {
    if (input.status === "settled" && !input.bankRef) {
      throw badRequest("BANK_REF_REQUIRED", "a settled instruction carries the bank's reference of the payment");
    }
    if (input.status === "rejected" && !input.reason) {
      throw badRequest("REASON_REQUIRED", "a rejected instruction carries an ISO 20022 reason code such as AC04");
    }
    const found = await this.tables.instructions.get(id);
    if (!found) throw notFound("INSTRUCTION_NOT_FOUND", `no instruction with id ${id}`);
    return this.fundLock.run([`${found.dealId}:${found.milestone}`], async () => {
      const instruction = (await this.tables.instructions.get(id))!;
      const agreement = (await this.tables.escrows.get(instruction.dealId))!;
      if (instruction.chainStatus === "superseded") {
        throw conflict("INSTRUCTION_SUPERSEDED", "the dispute ended: this freeze gave way to a payment instruction");
      }
      if (instruction.kind === "freeze" && input.status === "settled") {
        throw unprocessable("NOT_A_PAYMENT", "a freeze is accepted (money held) or rejected, not settled");
      }
      const finished = instruction.bankStatus === "settled" || instruction.bankStatus === "rejected";
      if (finished) {
        const same =
          input.status === instruction.bankStatus &&
          (input.bankRef ?? null) === (instruction.bankRef ?? null) &&
          (input.reason ?? null) === (instruction.reason ?? null);
        // A duplicate of the final report is answered as it was; anything else is a contradiction.
        if (same) return { instruction, attest: this.attestFor(agreement, instruction) };
        throw conflict(
          "INSTRUCTION_FINISHED",
          `the bank reported this instruction ${instruction.bankStatus} already${instruction.bankRef ? ` (ref ${instruction.bankRef})` : ""}; a later "${input.status}" changes nothing`,
        );
      }
      if (input.status === "accepted" && instruction.bankStatus === "accepted") return { instruction };
      if (input.status === "settled") {
        const usedBy = await this.tables.bankRefs.get(`settlement:${input.bankRef}`);
        if (usedBy && usedBy !== id)
          throw conflict("BANK_REF_USED", `the bank reference ${input.bankRef} settled ${usedBy}`);
      }
      const next = await this.recorder.write(async (unit) => {
        const sealed = await unit.seal({
          kind: "bank.report",
          subject: escrowSubject(instruction.dealId),
          data: { report: "instruction", instructionId: id, by: bank.id, ...input },
        });
        const { recordedAt, id: recordId } = sealed.header;
        const next: Instruction = {
          ...instruction,
          bankStatus: input.status,
          bankRef: input.bankRef ?? instruction.bankRef,
          reason: input.status === "rejected" ? input.reason : instruction.reason,
          version: instruction.version + 1,
          reports: [...instruction.reports, { ...input, at: recordedAt, recordId }],
          updatedAt: recordedAt,
        };
        unit.put(this.tables.instructions, id, next);
        if (input.status === "settled") unit.put(this.tables.bankRefs, `settlement:${input.bankRef}`, id);
        return next;
      });
      return { instruction: next, attest: this.attestFor(agreement, next) };
    });
  }

  /**
   * Instructions the bank has not finished, oldest first: the pull list. A
   * payment stays on it until the escrow shows it confirmed (a bank that
   * reported it settled but did not attest it yet still has to), a freeze until
   * the bank acknowledged it.
   */
  /** Every instruction, in id order. */
  async instructions(): Promise<Instruction[]> {
    return this.tables.instructions.values().all();
  }

  /** The day's reconciliation statement (docs/BANK-API.md). */
  reconciliation(date: string): Promise<ReconciliationStatement> {
    return reconciliation(this.tables, this.escrow, date);
  }

  async pending(): Promise<Instruction[]> {
    const open: Instruction[] = [];
    for await (const instruction of this.tables.instructions.values()) {
      if (instruction.chainStatus !== "issued") continue;
      if (
        instruction.kind === "freeze" ? instruction.bankStatus === "pending" : instruction.bankStatus !== "rejected"
      ) {
        open.push(instruction);
      }
    }
    return open.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.id.localeCompare(b.id));
  }

  async instruction(id: string): Promise<Instruction> {
    const instruction = await this.tables.instructions.get(id);
    if (!instruction) throw notFound("INSTRUCTION_NOT_FOUND", `no instruction with id ${id}`);
    return instruction;
  }

  async deposit(id: string): Promise<DepositReport> {
    const deposit = await this.tables.deposits.get(id);
    if (!deposit) throw notFound("DEPOSIT_NOT_FOUND", `no deposit report with id ${id}`);
    return deposit;
  }

  /** What the bank attests on the escrow for a report; settled and rejected payments only. */
  private attestFor(agreement: EscrowAgreement, instruction: Instruction): EscrowCall | undefined {
    if (instruction.kind === "freeze" || instruction.chainStatus !== "issued") return undefined;
    if (instruction.bankStatus === "settled") {
      return this.call("confirmInstruction", [
        agreement.chainDealId,
        instruction.milestone,
        instruction.release,
        instruction.refund,
        encodeBytes32String(instruction.bankRef!),
      ]);
    }
    if (instruction.bankStatus === "rejected") {
      return this.call("reportInstructionFailed", [
        agreement.chainDealId,
        instruction.milestone,
        asciiHex(instruction.reason!),
      ]);
    }
    return undefined;
  }

  private call(name: EscrowCall["function"], args: EscrowCall["args"]): EscrowCall {
    return { contract: this.escrow.address, function: name, args };
  }
}
