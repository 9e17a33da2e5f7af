import { randomBytes } from "node:crypto";
import type { ComplaintStatus, ComplaintView } from "tech-transfer-ledger/sdk";
import type { Principal, Role } from "../auth/roles";
import { holdsAny, OVERSEERS } from "../auth/policy";
import { conflict, forbidden, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { dealSubject } from "../market/types";
import type { Complaint } from "./aftercareTypes";
import type { DealRepository } from "./repository";
import type { DealWorkspaces } from "./workspace";
import { rolesOf } from "./workspace";

/** Who handles complaints: the operator's service credential and admins. */
const HANDLERS: readonly Role[] = ["operator", "admin"];

export interface ComplaintOptions {
  /** Days the operator has to answer a complaint, from its filing or reopening (default 15). */
  answerDays?: number;
}

/**
 * Complaints (clause 6.11, docs/AFTERCARE.md): a participant of a deal (a party,
 * its broker, manager or an evaluator) files one against another participant or
 * the platform; the operator answers it by a deadline (`answerDays` after filing
 * or reopening); the complainant confirms the answer (closed) or reopens it.
 * Overdue complaints (open or reopened past their deadline) are listed for the
 * operator. Each step is an `improvement.recorded` record of the deal.
 */
export class DealComplaints {
  private readonly answerMs: number;

  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly workspaces: DealWorkspaces,
    options: ComplaintOptions = {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.answerMs = (options.answerDays ?? 15) * 86_400_000;
  }

  async file(caller: Principal, input: { dealId: string; against: string; text: string }): Promise<ComplaintView> {
    const { workspace } = await this.workspaces.standing(caller, input.dealId);
    if (rolesOf(caller, workspace).length === 0) {
      throw forbidden("PARTICIPANTS_ONLY", "complaints are filed by the deal's parties, broker, manager or evaluators");
    }
    if (workspace.state === "archived") throw conflict("DEAL_ARCHIVED", "the deal is archived: it takes nothing more");
    const against =
      input.against === "platform"
        ? ({ kind: "platform" } as const)
        : ({ kind: "user", userId: input.against } as const);
    if (against.kind === "user") {
      if (against.userId === caller.id)
        throw unprocessable("CANNOT_COMPLAIN_OF_YOURSELF", "you cannot complain of yourself");
      const named = { kind: "user" as const, id: against.userId, address: "", roles: [], certified: true };
      if (rolesOf(named, workspace).length === 0) {
        throw unprocessable("NOT_A_PARTICIPANT_OF_THE_DEAL", `${against.userId} takes no part in this deal`);
      }
    }
    const id = `cmp_${randomBytes(8).toString("hex")}`;
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "improvement.recorded",
        subject: dealSubject(input.dealId),
        data: { step: "complaint.filed", complaint: id, by: caller.id, against: input.against, text: input.text },
      });
      const at = record.header.recordedAt;
      const complaint: Complaint = {
        id,
        dealId: input.dealId,
        complainantId: caller.id,
        against,
        text: input.text,
        status: "open",
        deadline: this.deadline(),
        steps: [{ step: "filed", by: caller.id, at, text: input.text, recordId: record.header.id }],
        filedAt: at,
        updatedAt: at,
      };
      unit.put(this.tables.complaints, id, complaint);
      return this.present(complaint);
    });
  }

  /** The operator answers an open or reopened complaint. */
  async answer(caller: Principal, complaintId: string, text: string) {
    if (!holdsAny(caller, HANDLERS)) throw forbidden("OPERATOR_ONLY", "complaints are answered by the operator");
    return this.step(complaintId, ["open", "reopened"], "answered", caller.id, text);
  }

  /** The complainant accepts the operator's answer: the complaint is closed. */
  async confirm(caller: Principal, complaintId: string) {
    await this.assertComplainant(caller, complaintId);
    return this.step(complaintId, ["answered"], "confirmed", caller.id);
  }

  /** The complainant is not satisfied with the answer: the complaint is open again, with a new deadline. */
  async reopen(caller: Principal, complaintId: string, reason: string) {
    await this.assertComplainant(caller, complaintId);
    return this.step(complaintId, ["answered"], "reopened", caller.id, reason);
  }

  /** One complaint: for its complainant, the one it is against, and overseers. */
  async get(viewer: Principal, complaintId: string): Promise<ComplaintView> {
    const complaint = await this.find(complaintId);
    if (!this.mayRead(viewer, complaint)) {
      throw forbidden(
        "NOT_YOUR_COMPLAINT",
        "a complaint is read by its complainant, whom it is against, and the staff",
      );
    }
    return this.present(complaint);
  }

  /** Complaints the viewer may read (overseers: all), newest first, optionally only those of a status or overdue. */
  async list(
    viewer: Principal,
    filter: { status?: ComplaintStatus; overdue?: boolean } = {},
  ): Promise<ComplaintView[]> {
    const found: ComplaintView[] = [];
    for await (const complaint of this.tables.complaints.values()) {
      if (!this.mayRead(viewer, complaint)) continue;
      const view = this.present(complaint);
      if (filter.status && view.status !== filter.status) continue;
      if (filter.overdue !== undefined && view.overdue !== filter.overdue) continue;
      found.push(view);
    }
    return found.sort((a, b) => b.filedAt.localeCompare(a.filedAt));
  }

  private async step(
    complaintId: string,
    from: readonly ComplaintStatus[],
    step: "answered" | "reopened" | "confirmed",
    by: string,
    text?: string,
  ): Promise<ComplaintView> {
    return this.workspaces.lock.run([complaintId], async () => {
      const complaint = await this.find(complaintId);
      if (!from.includes(complaint.status)) {
        throw conflict(
          "COMPLAINT_NOT_ALLOWED",
          `the complaint is ${complaint.status}: it can be ${step} only when ${from.join(" or ")}`,
        );
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "improvement.recorded",
          subject: dealSubject(complaint.dealId),
          data: { step: `complaint.${step}`, complaint: complaintId, by, ...(text && { text }) },
        });
        const at = record.header.recordedAt;
        const status: ComplaintStatus = step === "confirmed" ? "closed" : step;
        const next: Complaint = {
          ...complaint,
          status,
          ...(step === "answered" && { answer: { text: text!, by, at } }),
          ...(step === "reopened" && { deadline: this.deadline() }),
          steps: [...complaint.steps, { step, by, at, ...(text && { text }), recordId: record.header.id }],
          updatedAt: at,
        };
        unit.put(this.tables.complaints, complaintId, next);
        return this.present(next);
      });
    });
  }

  private async assertComplainant(caller: Principal, complaintId: string): Promise<void> {
    const complaint = await this.find(complaintId);
    if (complaint.complainantId !== caller.id) {
      throw forbidden("COMPLAINANT_ONLY", "only the complainant confirms or reopens a complaint");
    }
  }

  private async find(complaintId: string): Promise<Complaint> {
    const complaint = await this.tables.complaints.get(complaintId);
    if (!complaint) throw notFound("COMPLAINT_NOT_FOUND", `no complaint ${complaintId}`);
    return complaint;
  }

  private mayRead(viewer: Principal, complaint: Complaint): boolean {
    if (holdsAny(viewer, OVERSEERS)) return true;
    return (
      complaint.complainantId === viewer.id ||
      (complaint.against.kind === "user" && complaint.against.userId === viewer.id)
    );
  }

  private present(complaint: Complaint): ComplaintView {
    const waiting = complaint.status === "open" || complaint.status === "reopened";
    return { ...complaint, overdue: waiting && Date.parse(complaint.deadline) < this.clock().getTime() };
  }

  /** When an answer filed or reopened now is due: by the platform's clock, which tells overdue ones too. */
  private deadline(): string {
    return new Date(this.clock().getTime() + this.answerMs).toISOString();
  }
}
