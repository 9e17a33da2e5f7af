import { randomBytes } from "node:crypto";
import {
  checkEvaluationReport,
  FILES_FIELD,
  type ErrorDetail,
  type EvaluationReport,
  type FileDescriptor,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { GatewayError, unprocessable } from "../errors";
import type { EvidenceRecorder, EvidenceUnit, RecordFile } from "../evidence/recorder";
import { dealSubject } from "../market/types";
import { dealItemKey, type DealRepository } from "./repository";
import type { DealEvaluation } from "./types";
import { assertOpen, type DealWorkspaces } from "./workspace";

/**
 * Who else an evaluation report concerns (a service order it delivers,
 * docs/SERVICES.md): told inside the report's write, it may seal records of its
 * own in the same unit or refuse the report by throwing; what it returns runs
 * once the write is on disk (its notifications).
 */
export interface EvaluationFollower {
  evaluationSubmitted(unit: EvidenceUnit, evaluation: DealEvaluation): Promise<(() => Promise<void>) | void>;
}

/**
 * Evaluation reports (clause 6.6): an evaluator the parties engaged (and who is
 * certified) submits a report of the SDK's shape; the gateway recomputes a
 * valuation from the report's own inputs with the SDK's `valueTechnology` and
 * refuses a report whose figures disagree, so the value range both parties see
 * is arithmetic anyone can redo. Each report is an `investigation.recorded`
 * record of the deal, its files' digests inside it.
 */
export class DealEvaluations {
  private follower: EvaluationFollower | undefined;

  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly workspaces: DealWorkspaces,
  ) {}

  /** Tells `follower` of every report, in the report's own write. */
  followWith(follower: EvaluationFollower): void {
    this.follower = follower;
  }

  async submit(
    caller: Principal,
    dealId: string,
    report: EvaluationReport,
    files: RecordFile[] = [],
  ): Promise<DealEvaluation> {
    const { workspace } = await this.workspaces.assertEngagedEvaluator(caller, dealId, report.kind);
    assertOpen(workspace);
    if (report.subject.dealId && report.subject.dealId !== dealId) {
      throw unprocessable(
        "EVALUATION_OF_ANOTHER_DEAL",
        `the report's subject is ${report.subject.dealId}, not this deal`,
      );
    }
    const { valuation, differences } = checkEvaluationReport(report);
    if (differences.length > 0) {
      const details: ErrorDetail[] = differences.map((difference) => ({
        path: `body.result.${difference.field}`,
        code: "FIGURE_DIFFERS",
        message: `the report states ${JSON.stringify(difference.reported)}; its inputs give ${JSON.stringify(difference.recomputed)}`,
      }));
      throw new GatewayError(
        422,
        "EVALUATION_FIGURES_DIFFER",
        `the report's ${differences.map((d) => d.field).join(", ")} disagree with its ${report.method.approach} approach recomputed from its inputs (docs/VALUATION.md)`,
        { details },
      );
    }
    const id = `evl_${randomBytes(8).toString("hex")}`;
    const range = valuation && {
      method: valuation.method,
      currency: valuation.currency,
      value: valuation.value,
      low: valuation.low,
      high: valuation.high,
    };
    const afterwards: { run?: () => Promise<void> } = {};
    const submitted = await this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "investigation.recorded",
        subject: dealSubject(dealId),
        data: { type: "evaluation", evaluation: id, kind: report.kind, by: caller.id, report, ...(range && { range }) },
        files,
      });
      const evaluation: DealEvaluation = {
        id,
        dealId,
        kind: report.kind,
        report,
        ...(range && { range }),
        files: (record.data[FILES_FIELD] as FileDescriptor[] | undefined) ?? [],
        submittedBy: caller.id,
        at: record.header.recordedAt,
        recordId: record.header.id,
      };
      unit.put(this.tables.evaluations, dealItemKey(dealId, id), evaluation);
      afterwards.run = (await this.follower?.evaluationSubmitted(unit, evaluation)) ?? undefined;
      return evaluation;
    });
    await afterwards.run?.();
    return submitted;
  }

  /** The deal's evaluation reports with their value ranges, for every participant and overseer. */
  async list(viewer: Principal, dealId: string): Promise<DealEvaluation[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.tables.itemsOf(this.tables.evaluations, dealId);
  }
}
