import type { SealedRecord } from "tech-transfer-ledger/sdk";
import type { Principal, Role } from "../auth/roles";
import { holdsAny, OVERSEERS } from "../auth/policy";
import { badRequest, conflict, forbidden, unprocessable } from "../errors";
import type { EscrowTerms } from "../escrow/terms";
import type { EvidenceRecorder, EvidenceUnit } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import type { ListingService } from "../market/listings";
import type { MatchService } from "../market/matches";
import { dealSubject, type Deal } from "../market/types";
import { KeyedLock } from "../util/keyedLock";
import type { DealRepository } from "./repository";
import {
  DEAL_MOVES,
  isDealMove,
  mayMake,
  movesFrom,
  nextState,
  type DealActor,
  type DealMove,
  type DealMoveRule,
} from "./states";
import { MAIN_THREAD, type DealRole, type DealWorkspace, type EvaluationKind } from "./types";

/** Roles the platform's staff act in on a deal: the operator's service credential, and admins. */
const OPERATING: readonly Role[] = ["operator", "admin"];

/** A caller's standing in one deal: the workspace, and every capacity they act in. */
export interface DealStanding {
  workspace: DealWorkspace;
  actors: DealActor[];
  /** Overseers read every deal without taking part. */
  overseer: boolean;
}

/** The escrow events that move a deal, and the move each makes. */
const ESCROW_MOVES: Partial<Record<string, DealMove>> = {
  DealCreated: "sign",
  DepositLocked: "begin_performance",
  DisputeOpened: "dispute",
  SettlementAccepted: "resume_performance",
  RulingFinalized: "resume_performance",
};
/** Escrow events after which a milestone holds nothing more. */
const SETTLING_EVENTS = new Set(["MilestoneReleased", "MilestoneRefunded", "MilestoneSplit", "MilestoneCancelled"]);

/**
 * The deal workspace (clause 6.5–6.10): where a deal stands in the state
 * machine of `./states`, who takes part in it (its two parties, a broker and a
 * manager the parties chose together or the operator assigned, evaluators a
 * party engaged), and every move, each an evidence record of the deal written
 * in the same unit as the change it proves.
 *
 * The market opens deals (matches, auctions, sealed bidding, listed prices); a
 * deal's workspace is made the first time the deal is used here, and then the
 * listings' NDA-gated details are opened to the counter-party (each grant a
 * record of the listing).
 */
export class DealWorkspaces {
  /** One deal's changes one at a time (its workspace row is read, changed and written whole): shared with the deal's other services. */
  readonly lock = new KeyedLock();

  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly matches: MatchService,
    private readonly listings: ListingService,
    private readonly escrowTerms: EscrowTerms,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The workspace as `viewer` sees it, with their roles in the deal and the moves they may make now. */
  async view(viewer: Principal, dealId: string) {
    await this.catchUpWithEscrow(dealId);
    const { workspace, actors } = await this.standing(viewer, dealId);
    return present(viewer, workspace, actors);
  }

  /** The deals `userId` takes part in as broker, manager or evaluator by the workspace's say (not the market's). */
  async dealIdsOf(userId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const workspace of this.tables.workspaces.values()) {
      const roles = rolesOf({ kind: "user", id: userId, address: "", roles: [], certified: true }, workspace);
      if (roles.some((role) => role === "broker" || role === "manager" || role === "evaluator")) {
        ids.push(workspace.dealId);
      }
    }
    return ids;
  }

  /** The deal's workspace as stored, or undefined before its first use: for reads that must not make it (statistics). */
  async find(dealId: string): Promise<DealWorkspace | undefined> {
    return this.tables.workspaces.get(dealId);
  }

  /**
   * Who takes part in the deal by the workspace's say (its parties, broker,
   * manager and evaluators), for telling them what happens; a deal not used in
   * the workspace yet has its parties and the broker who recorded its match.
   */
  async participantsOf(dealId: string): Promise<DealParticipants | undefined> {
    const workspace = await this.tables.workspaces.get(dealId);
    if (workspace) {
      return {
        supplierId: workspace.supplierId,
        demanderId: workspace.demanderId,
        brokerId: workspace.broker.userId,
        managerId: workspace.manager.userId,
        evaluatorIds: workspace.evaluators.map((e) => e.userId),
      };
    }
    const deal = await this.matches.findDeal(dealId);
    return (
      deal && { supplierId: deal.supplierId, demanderId: deal.demanderId, brokerId: deal.brokerId, evaluatorIds: [] }
    );
  }

  /** Where the deal stands, without making its workspace (a deal not used here yet is `opened`). */
  async stateOf(dealId: string) {
    return {
      state: (await this.tables.workspaces.get(dealId))?.state ?? "opened",
      link: `/v1/deals/${dealId}/workspace`,
    };
  }

  /**
   * Whether `viewer` takes part in the deal or oversees it, and as what. Refuses
   * (the same 403 whether the deal exists or not) anyone else.
   */
  async standing(viewer: Principal, dealId: string): Promise<DealStanding> {
    const deal = await this.matches.findDeal(dealId);
    const overseer = holdsAny(viewer, OVERSEERS);
    if (!deal) {
      if (overseer) await this.matches.getDeal(viewer, dealId); // the overseer's 404
      throw notAParticipant();
    }
    const workspace = await this.workspaceOf(deal);
    const actors = await this.actorsOf(viewer, workspace);
    const evaluator = workspace.evaluators.some((e) => e.userId === viewer.id);
    if (actors.length === 0 && !evaluator && !overseer) throw notAParticipant();
    return { workspace, actors, overseer };
  }

  /**
   * A move of the state machine by `actor` (the table in `./states` says who may make it, and from where),
   * answered as `view` answers: the workspace after the move as the mover sees it, from the standing the
   * move was checked against (not read again).
   */
  async move(actor: Principal, dealId: string, move: string, reason?: string) {
    if (!isDealMove(move)) throw badRequest("UNKNOWN_DEAL_MOVE", `"${move}" is not a move of a deal (docs/DEAL.md)`);
    if (escrowOnly(move)) {
      throw forbidden("DEAL_MOVE_FOLLOWS_ESCROW", `${move} follows the escrow's events; nobody makes it by hand`);
    }
    await this.prepare(dealId);
    return this.lock.run([dealId], async () => {
      const { workspace, actors } = await this.standing(actor, dealId);
      const rule: DealMoveRule = DEAL_MOVES[move];
      assertLegal(workspace, move);
      const as = rule.by.find((who) => actors.includes(who));
      if (!as) {
        throw forbidden(
          "DEAL_MOVE_NOT_YOURS",
          `${move} is made by the ${rule.by.join(", ")}; you act in this deal as ${actors.join(", ") || "a reader only"}`,
        );
      }
      if (as === "supplier" || as === "demander") assertMayTrade(await this.users.get(actor.id));
      const next = await this.recorder.write(async (unit) =>
        this.applyMove(unit, workspace, move, actor.id, as, reason),
      );
      return present(actor, next, actors);
    });
  }

  /**
   * Follows an escrow event of a deal (the hook `EscrowEvents.onDealEvent` calls
   * once the event's record is written): the deal moves where the table lets the
   * escrow move it, and stays where it is otherwise (a deal whose terms went on
   * chain straight from negotiation is signed all the same).
   */
  async followEscrow(dealId: string, event: string, milestone?: number): Promise<void> {
    const deal = await this.matches.findDeal(dealId);
    if (!deal) return;
    await this.prepare(dealId);
    await this.lock.run([dealId], async () => {
      const workspace = await this.workspaceOf(deal);
      const settled =
        SETTLING_EVENTS.has(event) && milestone !== undefined && !workspace.escrowSettled.includes(milestone)
          ? [...workspace.escrowSettled, milestone].sort((a, b) => a - b)
          : workspace.escrowSettled;
      const moves: DealMove[] = [];
      const direct = ESCROW_MOVES[event];
      if (direct) moves.push(direct);
      if (settled.length !== workspace.escrowSettled.length) {
        const agreement = await this.escrowTerms.get(dealId);
        if (settled.length >= agreement.milestones.length) moves.push("resume_performance", "deliver");
      }
      const data = { event, ...(milestone !== undefined && { milestone }) };
      let current: DealWorkspace = { ...workspace, escrowSettled: settled };
      const legal = moves.filter((move, i) => {
        // Each move from the state the ones before it leave the deal in.
        const from = moves.slice(0, i).reduce((state, earlier) => nextState(state, earlier) ?? state, current.state);
        return nextState(from, move) !== undefined;
      });
      if (legal.length === 0 && settled === workspace.escrowSettled) return;
      await this.recorder.write(async (unit) => {
        for (const move of legal)
          current = await this.applyMove(unit, current, move, "escrow", "escrow", undefined, data);
        unit.put(this.tables.workspaces, dealId, current);
      });
    });
  }

  /**
   * The escrow's events reach the deal after their records are written; one
   * that a stop in between left untold is caught up here: terms on chain sign a
   * deal still before signing.
   */
  private async catchUpWithEscrow(dealId: string): Promise<void> {
    const workspace = await this.tables.workspaces.get(dealId);
    if (!workspace || nextState(workspace.state, "sign") === undefined) return;
    if ((await this.escrowTerms.standing(dealId)).status === "created") await this.followEscrow(dealId, "DealCreated");
  }

  /**
   * A party nominates a broker or a manager (both parties naming the same user
   * appoints them), or the operator assigns one. The user must hold that role
   * and be certified.
   */
  async appoint(caller: Principal, dealId: string, role: "broker" | "manager", userId: string) {
    await this.prepare(dealId);
    return this.lock.run([dealId], async () => {
      const { workspace, actors } = await this.standing(caller, dealId);
      const side = actors.find((a): a is "supplier" | "demander" => a === "supplier" || a === "demander");
      const operator = actors.includes("operator");
      if (!side && !operator) {
        throw forbidden("NOT_A_PARTY", `a ${role} is chosen by both parties together or assigned by the operator`);
      }
      assertOpen(workspace);
      const candidate = await this.users.find(userId);
      if (!candidate || !candidate.roles.some((grant) => grant.role === role)) {
        throw unprocessable("NOT_A_" + role.toUpperCase(), `${userId} does not hold the ${role} role`);
      }
      assertMayTrade(candidate);
      if ([workspace.supplierId, workspace.demanderId].includes(userId)) {
        throw unprocessable("PARTY_CANNOT_SERVE", `a party of the deal cannot be its ${role}`);
      }
      const current = workspace[role];
      const now = this.clock().toISOString();
      return this.recorder.write(async (unit) => {
        const nominations = side ? { ...current.nominations, [side]: userId } : current.nominations;
        const agreed = operator || (nominations.supplier === userId && nominations.demander === userId);
        const record = await unit.seal({
          kind: "deal.participant.changed",
          subject: dealSubject(dealId),
          data: {
            role,
            user: userId,
            by: caller.id,
            as: side ?? "operator",
            outcome: agreed ? "appointed" : "nominated",
          },
        });
        const appointment = agreed
          ? {
              userId,
              nominations: {},
              assignedBy: operator ? ("operator" as const) : ("parties" as const),
              at: now,
              recordId: record.header.id,
            }
          : { ...current, nominations };
        const next: DealWorkspace = { ...workspace, [role]: appointment, updatedAt: now };
        unit.put(this.tables.workspaces, dealId, next);
        return next;
      });
    });
  }

  /** A party engages an evaluator (a certified account with the evaluator role) for some kinds of evaluation (6.6). */
  async engageEvaluator(caller: Principal, dealId: string, userId: string, kinds: EvaluationKind[]) {
    await this.prepare(dealId);
    return this.lock.run([dealId], async () => {
      const { workspace, actors } = await this.standing(caller, dealId);
      const side = actors.find((a) => a === "supplier" || a === "demander");
      if (!side) throw forbidden("NOT_A_PARTY", "an evaluator is engaged by a party of the deal");
      assertOpen(workspace);
      assertMayTrade(await this.users.get(caller.id));
      const evaluator = await this.users.find(userId);
      if (!evaluator || !evaluator.roles.some((grant) => grant.role === "evaluator")) {
        throw unprocessable("NOT_AN_EVALUATOR", `${userId} does not hold the evaluator role`);
      }
      assertMayTrade(evaluator);
      // Engaged already: engaging again for kinds it does not hold yet widens the engagement (a service order of another kind).
      const current = workspace.evaluators.find((e) => e.userId === userId);
      const added = current ? kinds.filter((kind) => !current.kinds.includes(kind)) : kinds;
      if (added.length === 0) {
        throw conflict("ALREADY_ENGAGED", "this evaluator is engaged for the deal already");
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "deal.participant.changed",
          subject: dealSubject(dealId),
          data: { role: "evaluator", user: userId, by: caller.id, as: side, outcome: "engaged", kinds: added },
        });
        const at = record.header.recordedAt;
        const engagement = { userId, kinds: [...(current?.kinds ?? []), ...added], engagedBy: caller.id, at };
        const next: DealWorkspace = {
          ...workspace,
          evaluators: current
            ? workspace.evaluators.map((e) => (e === current ? { ...engagement, recordId: record.header.id } : e))
            : [...workspace.evaluators, { ...engagement, recordId: record.header.id }],
          updatedAt: at,
        };
        unit.put(this.tables.workspaces, dealId, next);
        return next;
      });
    });
  }

  /**
   * The engagement of `evaluator` on the deal, for the evaluation report's route:
   * refuses anyone the parties did not engage (or for another kind of evaluation).
   *
   * @example
   * const engagement = await deals.assertEngagedEvaluator(principal, dealId, "value");
   */
  async assertEngagedEvaluator(evaluator: Principal, dealId: string, kind?: EvaluationKind) {
    const { workspace } = await this.standing(evaluator, dealId);
    const engagement = workspace.evaluators.find((e) => e.userId === evaluator.id);
    if (!engagement || (kind && !engagement.kinds.includes(kind))) {
      throw forbidden(
        "NOT_ENGAGED",
        `the parties did not engage you for ${kind ? `a ${kind} evaluation of ` : ""}this deal`,
      );
    }
    assertMayTrade(await this.users.get(evaluator.id));
    return { workspace, engagement };
  }

  /**
   * Whether user `me` reads a record of the deal as its broker or manager, or as
   * an engaged evaluator (not the records of confidential threads), for the
   * evidence's readers; the parties read through the market's rule.
   */
  async mayReadRecord(me: string, dealId: string, record?: SealedRecord): Promise<boolean> {
    const workspace = await this.tables.workspaces.get(dealId);
    if (!workspace) return false;
    if (workspace.broker.userId === me || workspace.manager.userId === me) return true;
    const evaluator = workspace.evaluators.some((e) => e.userId === me);
    return evaluator && record?.data.confidential !== true;
  }

  /**
   * Seals the move's record and returns the workspace after it; the caller's
   * unit writes it (with whatever else the unit changes), so the record and the
   * state change are one write.
   */
  async applyMove(
    unit: EvidenceUnit,
    workspace: DealWorkspace,
    move: DealMove,
    by: string,
    as: DealActor,
    reason?: string,
    extra: Record<string, unknown> = {},
  ): Promise<DealWorkspace> {
    const to = assertLegal(workspace, move);
    const record = await unit.seal({
      kind: "deal.moved",
      subject: dealSubject(workspace.dealId),
      data: { move, from: workspace.state, to, by, as, ...(reason && { reason }), ...extra },
    });
    const at = record.header.recordedAt;
    const next: DealWorkspace = {
      ...workspace,
      state: to,
      history: [
        ...workspace.history,
        { move, from: workspace.state, to, by, as, at, recordId: record.header.id, ...(reason && { reason }) },
      ],
      updatedAt: at,
    };
    unit.put(this.tables.workspaces, workspace.dealId, next);
    return next;
  }

  /**
   * Makes the deal's workspace if it has none yet. Callers that change the
   * workspace under the deal's lock call this first, outside the lock (which
   * does not nest): the workspace is then made under the lock, and a first read
   * racing a first move cannot write the fresh workspace over the moved one.
   */
  async prepare(dealId: string): Promise<void> {
    if (await this.tables.workspaces.get(dealId)) return;
    const deal = await this.matches.findDeal(dealId);
    if (deal) await this.workspaceOf(deal);
  }

  /** The deal's workspace, made (with the NDA grants) the first time the deal is used here. */
  private async workspaceOf(deal: Deal): Promise<DealWorkspace> {
    const existing = await this.tables.workspaces.get(deal.id);
    if (existing) return existing;
    return this.lock.run([deal.id], async () => (await this.tables.workspaces.get(deal.id)) ?? this.open(deal));
  }

  private async open(deal: Deal): Promise<DealWorkspace> {
    // Once the deal is open, each side reads the NDA-gated details of the other's listing (6.3.2, 6.5).
    const grants = [
      { listingId: deal.supplyId, granteeId: deal.demanderId },
      ...(deal.demandId ? [{ listingId: deal.demandId, granteeId: deal.supplierId }] : []),
    ];
    const detailsGranted = [];
    for (const grant of grants) {
      const { recordId } = await this.listings.grantForDeal(grant.listingId, grant.granteeId, deal.id);
      detailsGranted.push({ ...grant, recordId });
    }
    const now = this.clock().toISOString();
    const workspace: DealWorkspace = {
      dealId: deal.id,
      state: "opened",
      supplierId: deal.supplierId,
      demanderId: deal.demanderId,
      supplyId: deal.supplyId,
      ...(deal.demandId && { demandId: deal.demandId }),
      ...(deal.price && { price: deal.price }),
      // A broker who recorded the match offline (6.4.1) is the deal's broker from the start.
      broker: deal.brokerId
        ? { userId: deal.brokerId, nominations: {}, assignedBy: "match", at: deal.openedAt, recordId: deal.recordId }
        : { nominations: {} },
      manager: { nominations: {} },
      evaluators: [],
      threads: [
        {
          id: MAIN_THREAD,
          title: "Negotiation",
          confidential: false,
          createdBy: deal.supplierId,
          createdAt: deal.openedAt,
        },
      ],
      history: [],
      detailsGranted,
      escrowSettled: [],
      updatedAt: now,
    };
    await this.recorder.write((unit) => {
      unit.put(this.tables.workspaces, deal.id, workspace);
    });
    return workspace;
  }

  private async actorsOf(viewer: Principal, workspace: DealWorkspace): Promise<DealActor[]> {
    const actors = rolesOf(viewer, workspace).filter((role) => role !== "evaluator") as DealActor[];
    if (holdsAny(viewer, OPERATING)) actors.push("operator");
    if (viewer.kind === "user" && (await this.escrowTerms.isArbitrator(viewer.id, workspace.dealId))) {
      actors.push("arbitrator");
    }
    return actors;
  }
}

/** Who takes part in a deal (`DealWorkspaces.participantsOf`). */
export interface DealParticipants {
  supplierId: string;
  demanderId: string;
  brokerId?: string;
  managerId?: string;
  evaluatorIds: string[];
}

/** The workspace as `viewer` sees it: their roles in the deal and the moves they may make now. */
function present(viewer: Principal, workspace: DealWorkspace, actors: readonly DealActor[]) {
  return {
    ...workspace,
    roles: [...rolesOf(viewer, workspace), ...actors.filter((a) => a === "operator" || a === "arbitrator")],
    moves: movesFrom(workspace.state).filter((move) => mayMake(actors, move) && !escrowOnly(move)),
  };
}

/** The capacities `viewer` holds in the deal by who they are (parties, broker, manager, evaluator). */
export function rolesOf(viewer: Principal, workspace: DealWorkspace): DealRole[] {
  const roles: DealRole[] = [];
  if (viewer.kind !== "user") return roles;
  if (viewer.id === workspace.supplierId) roles.push("supplier");
  if (viewer.id === workspace.demanderId) roles.push("demander");
  if (viewer.id === workspace.broker.userId) roles.push("broker");
  if (viewer.id === workspace.manager.userId) roles.push("manager");
  if (workspace.evaluators.some((e) => e.userId === viewer.id)) roles.push("evaluator");
  return roles;
}

/** The state `move` leads to, or the 409 that names the state and the move. */
export function assertLegal(workspace: DealWorkspace, move: DealMove) {
  const to = nextState(workspace.state, move);
  if (!to) {
    const rule: DealMoveRule = DEAL_MOVES[move];
    throw conflict(
      "DEAL_MOVE_NOT_ALLOWED",
      `the deal is ${workspace.state}: ${move} is not allowed from there (it leaves from ${rule.from.join(", ")})`,
    );
  }
  return to;
}

/** A deal that is over (archived, cancelled, closed) takes no new participants or documents. */
export function assertOpen(workspace: DealWorkspace): void {
  if (["closed", "archived", "cancelled"].includes(workspace.state)) {
    throw conflict("DEAL_NOT_OPEN", `the deal is ${workspace.state}: nothing more is added to it`);
  }
}

/**
 * An archived deal takes nothing more at all (6.10): the writes that `assertOpen` leaves open on a
 * closed or cancelled deal (signatures of minutes or a contract, confirmations of a visit, a thread's
 * confidentiality) are refused too, so the archive stays the whole deal.
 */
export function assertNotArchived(workspace: DealWorkspace): void {
  if (workspace.state === "archived") {
    throw conflict("DEAL_NOT_OPEN", "the deal is archived: nothing more is added to it");
  }
}

const escrowOnly = (move: DealMove) => {
  const rule: DealMoveRule = DEAL_MOVES[move];
  return rule.by.length === 1 && rule.by[0] === "escrow";
};

const notAParticipant = () =>
  forbidden(
    "NOT_A_PARTICIPANT",
    "a deal's workspace is for its parties, broker, manager and evaluators (or it does not exist)",
  );
