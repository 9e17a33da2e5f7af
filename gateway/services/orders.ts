import { randomBytes } from "node:crypto";
import {
  FILES_FIELD,
  IP_DELIVERABLE_TYPES,
  type DeliverableType,
  type EvaluationKind,
  type EvaluationReport,
  type FileDescriptor,
  type OrderState,
  type PatentParticulars,
  type SealedRecord,
  type ServiceKind,
  type ServiceOrderView,
} from "tech-transfer-ledger/sdk";
import { holdsAny, OVERSEERS } from "../auth/policy";
import type { Principal } from "../auth/roles";
import type { DealEvaluations, EvaluationFollower } from "../deal/evaluations";
import type { DealEvaluation } from "../deal/types";
import type { DealWorkspaces } from "../deal/workspace";
import { conflict, forbidden, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder, EvidenceUnit, InlineFile } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import type { Notifier } from "../notifications/notifier";
import type { Reminders } from "../notifications/reminders";
import { KeyedLock } from "../util/keyedLock";
import type { ServiceOfferings } from "./offerings";
import type { ServiceRepository } from "./repository";
import { orderSubject, type StoredOffering, type StoredOrder } from "./types";

const DAY_MS = 86_400_000;
/** How far ahead an orderer may set the acceptance deadline. */
const MAX_ACCEPT_WINDOW_MS = 30 * DAY_MS;
/** States in which an order waits for the institution to deliver. */
const IN_PROGRESS: readonly OrderState[] = ["accepted", "changes_requested"];

export interface ServiceOrderOptions {
  /** SERVICE_ACCEPT_HOURS: how long an institution has to accept or decline an order (default 48). */
  acceptHours: number;
}

export interface PlaceOrderInput {
  offeringId: string;
  brief: string;
  dealId?: string;
  evaluationKind?: EvaluationKind;
  patent?: PatentParticulars;
  /** The institution answers by then (ISO 8601); SERVICE_ACCEPT_HOURS from now when omitted. */
  acceptBy?: string;
}

export interface DeliverInput {
  summary?: string;
  deliverables?: Array<{ type: DeliverableType; files: InlineFile[] }>;
  /** For an evaluation ordered for a deal: the deal's evaluation report (the deal's evaluation route's input). */
  evaluation?: { report: EvaluationReport; files: InlineFile[] };
}

export interface OrderFilter {
  state?: OrderState;
  kind?: ServiceKind;
  late?: boolean;
  institutionId?: string;
  dealId?: string;
}

/** One order as the statistics count it (`ServiceOrders.forStatistics`). */
export interface ServiceOrderFigures {
  id: string;
  kind: ServiceKind;
  evaluationKind?: EvaluationKind;
  state: OrderState;
  institutionId: string;
  dealId?: string;
  createdAt: string;
  deliveredAt?: string;
  completedAt?: string;
}

/** What one step of an order seals and how it changes the order. */
interface StepPlan {
  data: Record<string, unknown>;
  files?: InlineFile[];
  apply(order: StoredOrder, record: SealedRecord, at: string): StoredOrder;
}

/**
 * Service orders (委托与受理, docs/SERVICES.md): a user orders a published
 * offering for itself or for a deal it takes part in; the institution accepts
 * or declines with a reason, delivers, re-delivers when asked for changes; the
 * user accepts the delivery and rates it once. Orders have an acceptance and a
 * delivery deadline, reminded of before they lapse; the operator reassigns a
 * late or declined order to another institution's matching offering. Each step
 * is a `service.order.recorded` record of `service-order:<id>`.
 *
 * An evaluation ordered for a deal is the deal's evaluation (6.6): ordering it
 * engages the institution as the deal's evaluator through the workspace, and the
 * evaluation report it submits there (or through this order) delivers the order
 * in the report's own write.
 */
export class ServiceOrders implements EvaluationFollower {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly tables: ServiceRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly offerings: ServiceOfferings,
    private readonly workspaces: DealWorkspaces,
    private readonly evaluations: DealEvaluations,
    private readonly notifier: Notifier,
    private readonly reminders: Reminders,
    private readonly options: ServiceOrderOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A certified user orders a published offering, for itself or for a deal it takes part in. */
  async place(caller: Principal, input: PlaceOrderInput): Promise<ServiceOrderView> {
    assertMayTrade(await this.users.get(caller.id));
    const offering = await this.offerings.orderable(input.offeringId);
    if (offering.institutionId === caller.id) {
      throw unprocessable("OWN_OFFERING", "an institution does not order its own offering");
    }
    const evaluationKind = evaluationKindOf(offering, input.evaluationKind);
    if (input.patent && offering.kind !== "ip") {
      throw unprocessable("PATENT_NOT_FOR_KIND", "patent particulars go with an IP service's order");
    }
    const now = this.clock().getTime();
    const acceptBy = input.acceptBy ? new Date(input.acceptBy) : new Date(now + this.options.acceptHours * 3_600_000);
    if (acceptBy.getTime() <= now) throw unprocessable("ACCEPT_BY_PAST", "the acceptance deadline is in the past");
    if (acceptBy.getTime() - now > MAX_ACCEPT_WINDOW_MS) {
      throw unprocessable("ACCEPT_BY_TOO_FAR", "the acceptance deadline is at most 30 days ahead");
    }
    let engagementRecordId: string | undefined;
    if (input.dealId) {
      engagementRecordId = await this.takePartInDeal(caller, input.dealId, offering.institutionId, evaluationKind);
    }
    const id = `svc_${randomBytes(8).toString("hex")}`;
    const order = await this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "service.order.recorded",
        subject: orderSubject(id),
        data: {
          step: "order.placed",
          order: id,
          offering: offering.id,
          institution: offering.institutionId,
          kind: offering.kind,
          ...(evaluationKind && { evaluationKind }),
          by: caller.id,
          ...(input.dealId && { deal: input.dealId }),
          brief: input.brief,
          ...(input.patent && { patent: input.patent }),
          // What the orderer agreed to, as the offering stated it when ordered.
          ...(offering.price && { price: offering.price }),
          ...(offering.priceBasis && { priceBasis: offering.priceBasis }),
          turnaroundDays: offering.turnaroundDays,
          acceptBy: acceptBy.toISOString(),
          ...(engagementRecordId && { engagementRecordId }),
        },
      });
      const at = record.header.recordedAt;
      const stored: StoredOrder = {
        id,
        offeringId: offering.id,
        institutionId: offering.institutionId,
        kind: offering.kind,
        ...(evaluationKind && { evaluationKind }),
        orderedBy: caller.id,
        ...(input.dealId && { dealId: input.dealId }),
        brief: input.brief,
        ...(input.patent && { patent: input.patent }),
        ...(offering.price && { price: offering.price }),
        ...(offering.priceBasis && { priceBasis: offering.priceBasis }),
        turnaroundDays: offering.turnaroundDays,
        state: "ordered",
        acceptBy: acceptBy.toISOString(),
        ...(engagementRecordId && { engagementRecordId }),
        deliveries: [],
        reviews: [],
        reassignments: [],
        createdAt: at,
        updatedAt: at,
        recordId: record.header.id,
      };
      unit.put(this.tables.orders, id, stored);
      if (input.dealId) unit.put(this.tables.ordersByDeal, `${input.dealId}\x00${id}`, id);
      return stored;
    });
    await this.tell([order.institutionId], order, `You have a new ${order.kind} order to accept or decline`);
    await this.remindOf(order);
    return this.view(order);
  }

  /** The institution accepts the order (its delivery deadline starts) or declines it with a reason. */
  async decide(caller: Principal, orderId: string, decision: { accepted: boolean; reason?: string }) {
    const order = await this.step(caller, orderId, (current) => {
      // Who may act comes first: to anyone else every order answers the same refusal.
      assertInstitution(caller, current);
      if (!decision.accepted && !decision.reason) {
        throw unprocessable("REASON_REQUIRED", "a declined order needs a reason the orderer can act on");
      }
      if (current.state !== "ordered") {
        throw conflict(
          "ORDER_NOT_AWAITING_DECISION",
          `the order is ${current.state}; only an order placed is accepted or declined`,
        );
      }
      const deliverBy = new Date(this.clock().getTime() + current.turnaroundDays * DAY_MS).toISOString();
      return {
        data: {
          step: decision.accepted ? "order.accepted" : "order.declined",
          by: caller.id,
          ...(decision.reason && { reason: decision.reason }),
          ...(decision.accepted && { deliverBy }),
        },
        apply: (fresh, record, at) => ({
          ...fresh,
          state: decision.accepted ? "accepted" : "declined",
          decision: {
            accepted: decision.accepted,
            ...(decision.reason && { reason: decision.reason }),
            by: caller.id,
            at,
            recordId: record.header.id,
          },
          ...(decision.accepted && { deliverBy }),
        }),
      };
    });
    await this.tell(
      [order.orderedBy],
      order,
      decision.accepted
        ? `The institution accepted your ${order.kind} order`
        : `The institution declined your ${order.kind} order: ${decision.reason}`,
    );
    await this.remindOf(order);
    return this.view(order);
  }

  /**
   * The institution delivers (again, after changes were asked for). An evaluation
   * ordered for a deal is delivered by its evaluation report, submitted to the deal.
   */
  async deliver(caller: Principal, orderId: string, input: DeliverInput): Promise<ServiceOrderView> {
    const current = await this.readable(caller, orderId);
    assertInstitution(caller, current);
    assertInProgress(current);
    if (current.dealId && current.kind === "evaluation") {
      if (!input.evaluation) {
        throw unprocessable(
          "EVALUATION_REPORT_REQUIRED",
          "an evaluation ordered for a deal is delivered by its evaluation report (`evaluation`), which goes to the deal",
        );
      }
      if (input.evaluation.report.kind !== current.evaluationKind) {
        throw unprocessable(
          "EVALUATION_KIND_MISMATCH",
          `the order is for a ${current.evaluationKind} evaluation, the report is a ${input.evaluation.report.kind} one`,
        );
      }
      // The deal's own path: the report is checked and recorded there, and delivers this order in the same write.
      await this.evaluations.submit(caller, current.dealId, input.evaluation.report, input.evaluation.files);
      return this.view(await this.stored(orderId));
    }
    if (input.evaluation) {
      throw unprocessable(
        "EVALUATION_NOT_FOR_ORDER",
        "only an evaluation ordered for a deal is delivered as the deal's evaluation report",
      );
    }
    const deliverables = input.deliverables ?? [];
    if (deliverables.length === 0)
      throw unprocessable("DELIVERABLES_REQUIRED", "a delivery holds at least one deliverable with its files");
    const foreign = deliverables.find((d) => IP_DELIVERABLE_TYPES.includes(d.type) && current.kind !== "ip");
    if (foreign)
      throw unprocessable("DELIVERABLE_NOT_FOR_KIND", `a ${foreign.type} is delivered on an IP service's order`);
    const order = await this.step(caller, orderId, (fresh) => {
      assertInstitution(caller, fresh);
      assertInProgress(fresh);
      const n = fresh.deliveries.length + 1;
      return {
        data: {
          step: "order.delivered",
          delivery: n,
          by: caller.id,
          ...(input.summary && { summary: input.summary }),
          deliverables: deliverables.map((d) => ({ type: d.type, files: d.files.length })),
        },
        files: deliverables.flatMap((d) => d.files),
        apply: (latest, record, at) => {
          // The record's file descriptors, in the order given, back to their deliverables.
          const descriptors = (record.data[FILES_FIELD] as FileDescriptor[] | undefined) ?? [];
          let next = 0;
          const delivered = deliverables.map((d) => ({
            type: d.type,
            files: descriptors.slice(next, (next += d.files.length)),
          }));
          return {
            ...latest,
            state: "delivered",
            deliveries: [
              ...latest.deliveries,
              {
                n,
                ...(input.summary && { summary: input.summary }),
                deliverables: delivered,
                by: caller.id,
                at,
                recordId: record.header.id,
              },
            ],
            deliveredAt: at,
          };
        },
      };
    });
    await this.delivered(order);
    return this.view(order);
  }

  /** The orderer accepts the delivery (the order is completed) or asks for changes with a comment. */
  async review(caller: Principal, orderId: string, review: { accepted: boolean; comment?: string }) {
    const order = await this.step(caller, orderId, (current) => {
      assertOrderer(caller, current);
      if (!review.accepted && !review.comment) {
        throw unprocessable("COMMENT_REQUIRED", "say what should change");
      }
      if (current.state !== "delivered") {
        throw conflict("ORDER_NOT_DELIVERED", `the order is ${current.state}; a delivery is reviewed once delivered`);
      }
      const deliverBy = new Date(this.clock().getTime() + current.turnaroundDays * DAY_MS).toISOString();
      return {
        data: {
          step: review.accepted ? "delivery.accepted" : "delivery.changes-requested",
          delivery: current.deliveries.length,
          by: caller.id,
          ...(review.comment && { comment: review.comment }),
          ...(!review.accepted && { deliverBy }),
        },
        apply: (fresh, record, at) => ({
          ...fresh,
          state: review.accepted ? "completed" : "changes_requested",
          reviews: [
            ...fresh.reviews,
            {
              accepted: review.accepted,
              ...(review.comment && { comment: review.comment }),
              at,
              recordId: record.header.id,
            },
          ],
          ...(review.accepted ? { completedAt: at } : { deliverBy }),
        }),
      };
    });
    await this.tell(
      [order.institutionId],
      order,
      review.accepted ? "The orderer accepted your delivery" : `The orderer asks for changes: ${review.comment}`,
    );
    await this.remindOf(order);
    return this.view(order);
  }

  /** The orderer rates a completed order, once: a score of 1 to 5 and a comment. */
  async rate(caller: Principal, orderId: string, rating: { score: number; comment?: string }) {
    const order = await this.step(caller, orderId, (current) => {
      assertOrderer(caller, current);
      if (current.state !== "completed") {
        throw conflict(
          "ORDER_NOT_COMPLETED",
          `the order is ${current.state}; it is rated once its delivery is accepted`,
        );
      }
      if (current.rating) throw conflict("ALREADY_RATED", "you rated this order already");
      return {
        data: { step: "order.rated", by: caller.id, institution: current.institutionId, ...rating },
        apply: (fresh, record, at) => ({ ...fresh, rating: { ...rating, at, recordId: record.header.id } }),
      };
    });
    await this.tell([order.institutionId], order, `The orderer rated your service ${rating.score}/5`);
    return this.view(order);
  }

  /**
   * The operator moves a stuck order (declined, or past its acceptance or delivery
   * deadline) to another institution's published offering of the same kind, with a
   * reason. The order starts again as placed, with a new acceptance deadline.
   */
  async reassign(caller: Principal, orderId: string, input: { offeringId: string; reason: string }) {
    const current = await this.readable(caller, orderId);
    assertStuck(current, this.clock());
    const offering = await this.offerings.orderable(input.offeringId);
    if (offering.kind !== current.kind) {
      throw unprocessable(
        "OFFERING_KIND_MISMATCH",
        `the order is for ${current.kind}, the offering is ${offering.kind}`,
      );
    }
    if (current.evaluationKind && !offering.evaluationKinds?.includes(current.evaluationKind)) {
      throw unprocessable("EVALUATION_KIND_NOT_OFFERED", `the offering does not evaluate ${current.evaluationKind}`);
    }
    if (offering.institutionId === current.institutionId) {
      throw unprocessable("SAME_INSTITUTION", "reassign to another institution than the one that has the order");
    }
    if (offering.institutionId === current.orderedBy)
      throw unprocessable("OWN_OFFERING", "the orderer cannot serve its own order");
    let engagementRecordId = current.engagementRecordId;
    if (current.dealId && current.evaluationKind) {
      // The orderer asked for an evaluation of its deal: the new institution is engaged on it in the orderer's name.
      engagementRecordId = await this.takePartInDeal(
        await this.principalOf(current.orderedBy),
        current.dealId,
        offering.institutionId,
        current.evaluationKind,
      );
    }
    const acceptBy = new Date(this.clock().getTime() + this.options.acceptHours * 3_600_000).toISOString();
    const order = await this.step(caller, orderId, (fresh) => {
      assertStuck(fresh, this.clock());
      return {
        data: {
          step: "order.reassigned",
          by: caller.id,
          reason: input.reason,
          from: { institution: fresh.institutionId, offering: fresh.offeringId },
          to: { institution: offering.institutionId, offering: offering.id },
          acceptBy,
          ...(engagementRecordId && { engagementRecordId }),
        },
        apply: (latest, record, at) => {
          // The new institution answers afresh, at its own price and turnaround.
          const { decision: _decision, deliverBy: _deliverBy, price: _price, priceBasis: _basis, ...rest } = latest;
          return {
            ...rest,
            offeringId: offering.id,
            institutionId: offering.institutionId,
            ...(offering.price && { price: offering.price }),
            ...(offering.priceBasis && { priceBasis: offering.priceBasis }),
            turnaroundDays: offering.turnaroundDays,
            state: "ordered",
            acceptBy,
            ...(engagementRecordId && { engagementRecordId }),
            reassignments: [
              ...latest.reassignments,
              {
                fromInstitutionId: latest.institutionId,
                fromOfferingId: latest.offeringId,
                toInstitutionId: offering.institutionId,
                toOfferingId: offering.id,
                reason: input.reason,
                by: caller.id,
                at,
                recordId: record.header.id,
              },
            ],
          };
        },
      };
    });
    await this.tell(
      [order.orderedBy, current.institutionId],
      order,
      `The operator reassigned the order: ${input.reason}`,
    );
    await this.tell([order.institutionId], order, `The operator passed you a ${order.kind} order to accept or decline`);
    await this.remindOf(order);
    return this.view(order);
  }

  /** One order: to its orderer, its institution, and overseers. */
  async get(viewer: Principal, orderId: string): Promise<ServiceOrderView> {
    return this.view(await this.readable(viewer, orderId));
  }

  /**
   * The order, for its orderer, its institution and overseers; anyone else gets
   * the same 403 whether it exists or not, so ids cannot be probed.
   */
  private async readable(viewer: Principal, orderId: string): Promise<StoredOrder> {
    const order = await this.tables.orders.get(orderId);
    if (!order || !mayRead(viewer, order)) {
      if (holdsAny(viewer, OVERSEERS)) throw notFound("ORDER_NOT_FOUND", `no order ${orderId}`);
      throw forbidden("NOT_AN_ORDER_PARTY", "an order is read by who placed it, the institution serving it and staff");
    }
    return order;
  }

  /** The orders `viewer` may read (overseers: all; others: those they placed or serve) that fit `filter`, newest first. */
  async list(viewer: Principal, filter: OrderFilter = {}): Promise<ServiceOrderView[]> {
    const found: ServiceOrderView[] = [];
    for await (const order of this.tables.orders.values()) {
      if (!mayRead(viewer, order)) continue;
      const view = this.view(order);
      if (filter.state && view.state !== filter.state) continue;
      if (filter.kind && view.kind !== filter.kind) continue;
      if (filter.late !== undefined && view.late !== filter.late) continue;
      if (filter.institutionId && view.institutionId !== filter.institutionId) continue;
      if (filter.dealId && view.dealId !== filter.dealId) continue;
      found.push(view);
    }
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Every order placed in `[from, to)` (either end open when omitted), as the
   * statistics count them: kind, state, institution, when placed and delivered.
   */
  async forStatistics(period: { from?: string; to?: string } = {}): Promise<ServiceOrderFigures[]> {
    const figures: ServiceOrderFigures[] = [];
    for await (const order of this.tables.orders.values()) {
      if (period.from && order.createdAt < period.from) continue;
      if (period.to && order.createdAt >= period.to) continue;
      figures.push({
        id: order.id,
        kind: order.kind,
        ...(order.evaluationKind && { evaluationKind: order.evaluationKind }),
        state: order.state,
        institutionId: order.institutionId,
        ...(order.dealId && { dealId: order.dealId }),
        createdAt: order.createdAt,
        ...(order.deliveredAt && { deliveredAt: order.deliveredAt }),
        ...(order.completedAt && { completedAt: order.completedAt }),
      });
    }
    return figures;
  }

  /** Whether user `me` reads the records of order `orderId` (its orderer or its institution). */
  async isParty(me: string, orderId: string): Promise<boolean> {
    const order = await this.tables.orders.get(orderId);
    return order !== undefined && (order.orderedBy === me || order.institutionId === me);
  }

  /**
   * A deal's evaluation report delivers the order that engaged its evaluator for
   * that kind, in the report's own write; an order not accepted yet refuses it.
   */
  async evaluationSubmitted(unit: EvidenceUnit, evaluation: DealEvaluation) {
    let target: StoredOrder | undefined;
    const prefix = `${evaluation.dealId}\x00`;
    for await (const orderId of this.tables.ordersByDeal.values({ gte: prefix, lt: `${evaluation.dealId}\x01` })) {
      const order = await this.tables.orders.get(orderId);
      if (
        order &&
        order.institutionId === evaluation.submittedBy &&
        order.evaluationKind === evaluation.kind &&
        (order.state === "ordered" || IN_PROGRESS.includes(order.state))
      ) {
        target = order;
      }
    }
    if (!target) return;
    if (target.state === "ordered") {
      throw conflict(
        "ORDER_NOT_ACCEPTED",
        `accept service order ${target.id} before you deliver its evaluation report`,
      );
    }
    const n = target.deliveries.length + 1;
    const order = await this.stepIn(unit, target.id, target, {
      data: {
        step: "order.delivered",
        delivery: n,
        by: evaluation.submittedBy,
        evaluation: evaluation.id,
        evaluationRecordId: evaluation.recordId,
      },
      apply: (latest, record, at) => ({
        ...latest,
        state: "delivered",
        deliveries: [
          ...latest.deliveries,
          {
            n,
            deliverables: [{ type: "report", files: evaluation.files }],
            evaluationId: evaluation.id,
            by: evaluation.submittedBy,
            at,
            recordId: record.header.id,
          },
        ],
        deliveredAt: at,
      }),
    });
    return () => this.delivered(order);
  }

  /** The order as the API shows it, with whether it is late now. */
  view(order: StoredOrder): ServiceOrderView {
    return { ...order, late: isLate(order, this.clock()) };
  }

  /**
   * The caller takes part in the deal; for an evaluation, the institution is
   * engaged as its evaluator through the workspace (or already is, for that kind).
   * Answers the engagement's record.
   */
  private async takePartInDeal(
    caller: Principal,
    dealId: string,
    institutionId: string,
    evaluationKind: EvaluationKind | undefined,
  ): Promise<string | undefined> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    if (actors.length === 0) {
      throw forbidden("NOT_A_DEAL_PARTICIPANT", "a service is ordered for a deal by someone who takes part in it");
    }
    if (!evaluationKind) return undefined;
    const engaged = workspace.evaluators.find((e) => e.userId === institutionId && e.kinds.includes(evaluationKind));
    if (engaged) return engaged.recordId;
    const next = await this.workspaces.engageEvaluator(caller, dealId, institutionId, [evaluationKind]);
    return next.evaluators.find((e) => e.userId === institutionId)?.recordId;
  }

  /** A user as the workspace knows a caller, for the engagement made in the orderer's name. */
  private async principalOf(userId: string): Promise<Principal> {
    const user = await this.users.get(userId);
    return {
      kind: "user",
      id: user.id,
      address: activeKey(user.signingKeys) ?? "",
      roles: user.roles.map((grant) => grant.role),
      certified: user.status === "certified",
    };
  }

  /**
   * One step of an order under its lock: `plan` checks the order and says what to
   * seal; the order is read again once its record is sealed (nothing else
   * changes it meanwhile: an evaluation report delivers it without the lock) and
   * the step is refused if it changed.
   */
  private async step(caller: Principal, orderId: string, plan: (order: StoredOrder) => StepPlan): Promise<StoredOrder> {
    return this.lock.run([orderId], async () => {
      const before = await this.readable(caller, orderId);
      const planned = plan(before);
      return this.recorder.write((unit) => this.stepIn(unit, orderId, before, planned));
    });
  }

  private async stepIn(unit: EvidenceUnit, orderId: string, before: StoredOrder, plan: StepPlan): Promise<StoredOrder> {
    const record = await unit.seal({
      kind: "service.order.recorded",
      subject: orderSubject(orderId),
      data: { order: orderId, ...plan.data },
      ...(plan.files && { files: plan.files }),
    });
    const fresh = await this.stored(orderId);
    if (JSON.stringify(fresh) !== JSON.stringify(before)) {
      throw conflict("ORDER_CHANGED", "the order changed while this step was being recorded: read it again and retry");
    }
    const next: StoredOrder = {
      ...plan.apply(fresh, record, record.header.recordedAt),
      updatedAt: record.header.recordedAt,
    };
    unit.put(this.tables.orders, orderId, next);
    return next;
  }

  private async stored(orderId: string): Promise<StoredOrder> {
    const order = await this.tables.orders.get(orderId);
    if (!order) throw notFound("ORDER_NOT_FOUND", `no order ${orderId}`);
    return order;
  }

  private async delivered(order: StoredOrder): Promise<void> {
    await this.tell([order.orderedBy], order, "The institution delivered: accept the delivery or ask for changes");
    await this.remindOf(order);
  }

  private async tell(userIds: string[], order: StoredOrder, text: string): Promise<void> {
    for (const userId of new Set(userIds)) {
      await this.notifier.notify(userId, {
        kind: "service.order",
        text: `${text} (${order.id})`,
        link: `/v1/service-orders/${order.id}`,
        ...(order.dealId && { dealId: order.dealId }),
        recordId: order.deliveries.at(-1)?.recordId ?? order.recordId,
      });
    }
  }

  /**
   * Strikes off the order's reminders and sets the one of the deadline it waits
   * for now: the institution's answer, or its delivery. Each goes out once,
   * across restarts (the notifications' reminder queue).
   */
  private async remindOf(order: StoredOrder): Promise<void> {
    const prefix = `service-order:${order.id}:`;
    await this.reminders.cancel(prefix);
    const from = this.clock().getTime() / 1000;
    const link = `/v1/service-orders/${order.id}`;
    if (order.state === "ordered") {
      await this.reminders.schedule({
        key: `${prefix}accept`,
        clock: "gateway",
        deadline: order.acceptBy,
        userIds: [order.institutionId],
        notification: {
          kind: "reminder.deadline",
          text: `Accept or decline ${order.kind} order ${order.id} before ${order.acceptBy}`,
          link,
          deadline: order.acceptBy,
        },
        from,
      });
    } else if (IN_PROGRESS.includes(order.state) && order.deliverBy) {
      await this.reminders.schedule({
        key: `${prefix}deliver`,
        clock: "gateway",
        deadline: order.deliverBy,
        userIds: [order.institutionId],
        notification: {
          kind: "reminder.deadline",
          text: `Deliver ${order.kind} order ${order.id} before ${order.deliverBy}`,
          link,
          deadline: order.deliverBy,
        },
        from,
      });
    }
  }
}

/** Whether the order is past the deadline of the step it waits for. */
export function isLate(order: StoredOrder, now: Date): boolean {
  const at = now.toISOString();
  if (order.state === "ordered") return at > order.acceptBy;
  return IN_PROGRESS.includes(order.state) && order.deliverBy !== undefined && at > order.deliverBy;
}

function mayRead(viewer: Principal, order: StoredOrder): boolean {
  return order.orderedBy === viewer.id || order.institutionId === viewer.id || holdsAny(viewer, OVERSEERS);
}

function evaluationKindOf(offering: StoredOffering, asked: EvaluationKind | undefined): EvaluationKind | undefined {
  if (offering.kind !== "evaluation") {
    if (asked) throw unprocessable("EVALUATION_KIND_NOT_FOR_KIND", "only an evaluation order names an evaluation kind");
    return undefined;
  }
  if (!asked) {
    throw unprocessable(
      "EVALUATION_KIND_REQUIRED",
      `name the evaluation you order: ${offering.evaluationKinds?.join(", ")}`,
    );
  }
  if (!offering.evaluationKinds?.includes(asked)) {
    throw unprocessable("EVALUATION_KIND_NOT_OFFERED", `the offering does not evaluate ${asked}`);
  }
  return asked;
}

function assertInstitution(caller: Principal, order: StoredOrder): void {
  if (order.institutionId !== caller.id) {
    throw forbidden("NOT_THE_INSTITUTION", "this step is the institution's that serves the order");
  }
}

function assertOrderer(caller: Principal, order: StoredOrder): void {
  if (order.orderedBy !== caller.id) throw forbidden("NOT_THE_ORDERER", "this step is the orderer's");
}

function assertInProgress(order: StoredOrder): void {
  if (!IN_PROGRESS.includes(order.state)) {
    throw conflict(
      "ORDER_NOT_IN_PROGRESS",
      `the order is ${order.state}; it is delivered once accepted, or again after changes were asked for`,
    );
  }
}

function assertStuck(order: StoredOrder, now: Date): void {
  if (order.state !== "declined" && !isLate(order, now)) {
    throw conflict(
      "ORDER_NOT_STUCK",
      `the order is ${order.state} and within its deadline; only a declined or late order is reassigned`,
    );
  }
}
