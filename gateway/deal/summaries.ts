import { dealSteps } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import type { MatchService } from "../market/matches";
import { dealSubject } from "../market/types";
import { dealItemKey, type DealRepository } from "./repository";
import type { DealState } from "./states";
import type { DealSummaryPart, DealWorkspace, EvaluationOfDeal, ServiceSummaryOfDeal } from "./types";
import type { DealWorkspaces } from "./workspace";

/** Where a deal is summarised: once delivered (or given up), until it is archived. */
export const SUMMARY_STATES: readonly DealState[] = ["delivered", "following_up", "closed", "cancelled"];

/** A deal's summary (6.10), as the API answers it. */
export interface DealSummary {
  selfEvaluations: DealSummaryPart[];
  thirdPartyEvaluations: DealSummaryPart[];
  serviceSummary?: DealSummaryPart;
}

/**
 * The deal's summary (clause 6.10): each party's self-evaluation, a third-party
 * evaluation by each evaluator the parties engaged (6.6), and the service
 * summary of the deal's broker or manager with the time per step worked out
 * from the deal's moves. Each is an `archive.recorded` record of the deal
 * (`type` says which), written once, and each goes into the deal's archive.
 */
export class DealSummaries {
  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly workspaces: DealWorkspaces,
    private readonly matches: MatchService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A party's self-evaluation: what went well, what did not, scores. */
  async selfEvaluate(caller: Principal, dealId: string, input: EvaluationOfDeal): Promise<DealSummaryPart> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    const side = actors.find((a): a is "supplier" | "demander" => a === "supplier" || a === "demander");
    if (!side) throw forbidden("PARTIES_ONLY", "a self-evaluation is written by a party of the deal");
    assertMayTrade(await this.users.get(caller.id));
    return this.write(workspace, { type: "self-evaluation", as: side, by: caller.id, ...input });
  }

  /** The third-party evaluation of an evaluator the parties engaged for the deal. */
  async evaluate(caller: Principal, dealId: string, input: EvaluationOfDeal): Promise<DealSummaryPart> {
    const { workspace } = await this.workspaces.assertEngagedEvaluator(caller, dealId);
    return this.write(workspace, { type: "third-party-evaluation", as: "evaluator", by: caller.id, ...input });
  }

  /** The service summary of the deal's manager (or its broker): what was done, the outcome; the time per step is computed. */
  async summarise(
    caller: Principal,
    dealId: string,
    input: Omit<ServiceSummaryOfDeal, "steps">,
  ): Promise<DealSummaryPart> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    const as = actors.includes("manager") ? "manager" : actors.includes("broker") ? "broker" : undefined;
    if (!as) throw forbidden("SERVICE_STAFF_ONLY", "the service summary is written by the deal's manager or broker");
    assertMayTrade(await this.users.get(caller.id));
    const openedAt = await this.openedAt(workspace);
    const steps = dealSteps(openedAt, workspace.history);
    return this.write(workspace, { type: "service-summary", as, by: caller.id, ...input, steps });
  }

  /** The summary so far, for the deal's participants, evaluators and overseers. */
  async get(viewer: Principal, dealId: string): Promise<DealSummary> {
    await this.workspaces.standing(viewer, dealId);
    const parts = await this.tables.itemsOf(this.tables.summaries, dealId);
    const byTime = (a: DealSummaryPart, b: DealSummaryPart) => a.at.localeCompare(b.at);
    const serviceSummary = parts.find((p) => p.type === "service-summary");
    return {
      selfEvaluations: parts.filter((p) => p.type === "self-evaluation").sort(byTime),
      thirdPartyEvaluations: parts.filter((p) => p.type === "third-party-evaluation").sort(byTime),
      ...(serviceSummary && { serviceSummary }),
    };
  }

  private async write(
    workspace: DealWorkspace,
    part: DistributiveOmit<DealSummaryPart, "dealId" | "at" | "recordId">,
  ): Promise<DealSummaryPart> {
    const { dealId } = workspace;
    assertSummarisable(workspace);
    // One self-evaluation per party, one evaluation per evaluator, one service summary per deal.
    const key = dealItemKey(dealId, part.type === "service-summary" ? part.type : `${part.type}:${part.by}`);
    await this.workspaces.prepare(dealId);
    return this.workspaces.lock.run([dealId], async () => {
      // Read again under the deal's lock: an archive move that got in first is not written after.
      assertSummarisable((await this.tables.workspaces.get(dealId)) ?? workspace);
      if (await this.tables.summaries.get(key)) {
        throw conflict(
          "SUMMARY_EXISTS",
          part.type === "service-summary"
            ? "the deal's service summary is written already"
            : `your ${part.type} of this deal is written already`,
        );
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({ kind: "archive.recorded", subject: dealSubject(dealId), data: { ...part } });
        const stored = { ...part, dealId, at: record.header.recordedAt, recordId: record.header.id } as DealSummaryPart;
        unit.put(this.tables.summaries, key, stored);
        return stored;
      });
    });
  }

  /** When the deal opened (the market's `deal.opened`), where its first step starts. */
  private async openedAt(workspace: DealWorkspace): Promise<string> {
    return (await this.matches.findDeal(workspace.dealId))?.openedAt ?? this.clock().toISOString();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A deal is summarised once it is delivered or given up, and not after it is archived. */
function assertSummarisable(workspace: DealWorkspace): void {
  if (workspace.state === "archived") {
    throw conflict("DEAL_NOT_OPEN", "the deal is archived: nothing more is added to it");
  }
  if (!SUMMARY_STATES.includes(workspace.state)) {
    throw conflict(
      "SUMMARY_NOT_DUE",
      `the deal is ${workspace.state}: it is summarised once delivered (or cancelled), until it is archived`,
    );
  }
}
