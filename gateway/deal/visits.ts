import { randomBytes } from "node:crypto";
import { FILES_FIELD, type FileDescriptor } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, notFound } from "../errors";
import type { EvidenceRecorder, RecordFile } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import { dealSubject } from "../market/types";
import { dealItemKey, type DealRepository } from "./repository";
import type { DealActor } from "./states";
import type { SiteVisit } from "./types";
import { assertNotArchived, assertOpen, type DealWorkspaces } from "./workspace";

export interface SiteVisitInput {
  visitedAt: string;
  place: string;
  visitors: SiteVisit["visitors"];
  examined: string[];
  findings: string;
  /** Photos and documents: stored by the recorder, their SHA-256 in the record (anchored). */
  files?: RecordFile[];
}

const RECORDERS: readonly DealActor[] = ["supplier", "demander", "broker", "manager"];

/**
 * Site visits (clause 6.6): who came from each side, when, where, what was
 * examined, the findings, photos and documents; then each party confirms (or
 * disputes) the record. Each step is an `investigation.recorded` record of the
 * deal, the files' digests inside it.
 */
export class DealVisits {
  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly workspaces: DealWorkspaces,
  ) {}

  async record(caller: Principal, dealId: string, input: SiteVisitInput): Promise<SiteVisit> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    if (!actors.some((actor) => RECORDERS.includes(actor))) {
      throw forbidden("NOT_A_NEGOTIATOR", "a site visit is recorded by the deal's parties, broker or manager");
    }
    assertOpen(workspace);
    if (actors.includes("supplier") || actors.includes("demander")) assertMayTrade(await this.users.get(caller.id));
    const id = `vis_${randomBytes(8).toString("hex")}`;
    const { files, ...facts } = input;
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "investigation.recorded",
        subject: dealSubject(dealId),
        data: { type: "site-visit", visit: id, ...facts, by: caller.id },
        files,
      });
      const visit: SiteVisit = {
        id,
        dealId,
        ...facts,
        files: (record.data[FILES_FIELD] as FileDescriptor[] | undefined) ?? [],
        confirmations: {},
        recordedBy: caller.id,
        recordId: record.header.id,
      };
      unit.put(this.tables.visits, dealItemKey(dealId, id), visit);
      return visit;
    });
  }

  /** A party confirms the visit's record as true, or says it is not (with a note). */
  async confirm(
    caller: Principal,
    dealId: string,
    visitId: string,
    input: { confirmed: boolean; note?: string },
  ): Promise<SiteVisit> {
    return this.workspaces.lock.run([`${dealId}:${visitId}`], async () => {
      const { workspace, actors } = await this.workspaces.standing(caller, dealId);
      const side = actors.find((a): a is "supplier" | "demander" => a === "supplier" || a === "demander");
      if (!side) throw forbidden("PARTIES_ONLY", "a site visit is confirmed by the parties of the deal");
      assertNotArchived(workspace);
      assertMayTrade(await this.users.get(caller.id));
      const visit = await this.tables.visits.get(dealItemKey(dealId, visitId));
      if (!visit) throw notFound("VISIT_NOT_FOUND", `no site visit ${visitId} in this deal`);
      if (visit.confirmations[side]) throw conflict("ALREADY_CONFIRMED", `the ${side} answered for this visit already`);
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "investigation.recorded",
          subject: dealSubject(dealId),
          data: {
            type: "site-visit.confirmation",
            visit: visitId,
            side,
            confirmed: input.confirmed,
            ...(input.note && { note: input.note }),
            visitRecord: visit.recordId,
          },
        });
        const confirmation = {
          confirmed: input.confirmed,
          ...(input.note && { note: input.note }),
          recordId: record.header.id,
        };
        const next: SiteVisit = { ...visit, confirmations: { ...visit.confirmations, [side]: confirmation } };
        unit.put(this.tables.visits, dealItemKey(dealId, visitId), next);
        return next;
      });
    });
  }

  /** The deal's site visits, for its participants. */
  async list(viewer: Principal, dealId: string): Promise<SiteVisit[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.tables.itemsOf(this.tables.visits, dealId);
  }
}
