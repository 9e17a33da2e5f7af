import { royaltyDue, type RoyaltyPayment } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { dealSubject } from "../market/types";
import type { DealContracts } from "./contracts";
import { dealItemKey, type DealRepository } from "./repository";
import type { RoyaltyStatement } from "./types";
import { assertOpen, type DealWorkspaces } from "./workspace";

/** What a licensee reports for a period. */
export interface RoyaltyReport {
  period: { from: string; to: string };
  baseAmount: number;
  note?: string;
}

/**
 * Royalty statements (Civil Code art. 846, docs/DEAL.md): under a signed contract
 * whose payment is a royalty, the licensee (the deal's demander) reports each
 * period's sales or profit; the gateway works out what is due with the SDK's
 * `royaltyDue` (the contract's rate, exact, rounded half up to the fen) and keeps
 * the statement as a `royalty.reported` record of the deal, so both parties, the
 * bank and an arbitrator can check it against the signed contract. A period is
 * reported once; a closed, archived or cancelled deal takes none.
 */
export class DealRoyalties {
  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly workspaces: DealWorkspaces,
    private readonly contracts: DealContracts,
  ) {}

  async report(caller: Principal, dealId: string, report: RoyaltyReport): Promise<RoyaltyStatement> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    if (!actors.includes("demander")) {
      throw forbidden("LICENSEE_ONLY", "royalty statements are made by the licensee: the deal's demander");
    }
    const payment = await this.contracts.signedPaymentOf(dealId);
    if (!payment) throw conflict("CONTRACT_NOT_SIGNED", "royalties are reported under a signed contract");
    if (payment.mode !== "royalty") {
      throw conflict("NOT_A_ROYALTY_CONTRACT", `the signed contract is paid by ${payment.mode}, not by royalty`);
    }
    // The signed contract is what royalties are owed under, whether or not its upfront fee is escrowed yet.
    assertOpen(workspace);
    if (report.period.to < report.period.from) {
      throw unprocessable("PERIOD_REVERSED", "the period ends before it begins");
    }
    const key = dealItemKey(dealId, `${report.period.from}:${report.period.to}`);
    return this.workspaces.lock.run([`${dealId}:royalties`], async () => {
      if (await this.tables.royaltyStatements.get(key)) {
        throw conflict(
          "PERIOD_ALREADY_REPORTED",
          `the period ${report.period.from} to ${report.period.to} was reported`,
        );
      }
      const due = royaltyDue(payment as RoyaltyPayment, report.baseAmount);
      const dueBy = new Date(Date.parse(`${report.period.to}T00:00:00Z`) + payment.payWithinDays * 86_400_000)
        .toISOString()
        .slice(0, 10);
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "royalty.reported",
          subject: dealSubject(dealId),
          data: { period: report.period, ...due, dueBy, by: caller.id, ...(report.note && { note: report.note }) },
        });
        const statement: RoyaltyStatement = {
          dealId,
          period: report.period,
          ...due,
          dueBy,
          ...(report.note && { note: report.note }),
          reportedBy: caller.id,
          at: record.header.recordedAt,
          recordId: record.header.id,
        };
        unit.put(this.tables.royaltyStatements, key, statement);
        return statement;
      });
    });
  }

  /** The deal's royalty statements, oldest period first, for every participant and overseer. */
  async list(viewer: Principal, dealId: string): Promise<RoyaltyStatement[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.tables.itemsOf(this.tables.royaltyStatements, dealId);
  }
}
