import { randomBytes } from "node:crypto";
import type { ErrorDetail, OfferingInput, ServiceKind } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { holdsAny, STAFF_READERS } from "../auth/policy";
import { badRequest, conflict, forbidden, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import { validateCreditCode } from "../identity/validators";
import { KeyedLock } from "../util/keyedLock";
import type { ServiceRepository } from "./repository";
import { offeringSubject, type StoredOffering } from "./types";

type Qualification = StoredOffering["qualifications"][number];

/** What a search of the offerings may name. */
export interface OfferingFilter {
  kind?: ServiceKind;
  institutionId?: string;
  state?: StoredOffering["state"];
  /** Words looked for in the title and description, either language, case ignored. */
  q?: string;
}

/**
 * Service offerings (docs/SERVICES.md): a certified service institution (an
 * account of type `service`) publishes what it offers, with its qualifications;
 * a reviewer checks each qualification, and an offering whose every
 * qualification passed is published and can be ordered. Each step is a
 * `service.offering.recorded` record of the offering.
 */
export class ServiceOfferings {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly tables: ServiceRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A certified service institution submits an offering; it waits for the review of its qualifications. */
  async submit(caller: Principal, input: OfferingInput): Promise<StoredOffering> {
    const institution = await this.users.get(caller.id);
    if (institution.type !== "service") {
      throw forbidden(
        "NOT_A_SERVICE_INSTITUTION",
        "offerings are published by service institutions (accounts of type service)",
      );
    }
    assertMayTrade(institution);
    assertOfferingShape(input);
    const problems = qualificationProblems(input.qualifications, this.today());
    if (problems.length > 0) {
      throw badRequest(problems[0].code, `${problems[0].path}: ${problems[0].message}`, problems);
    }
    const id = `svo_${randomBytes(8).toString("hex")}`;
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "service.offering.recorded",
        subject: offeringSubject(id),
        data: { step: "offering.submitted", offering: id, by: caller.id, ...input },
      });
      const at = record.header.recordedAt;
      const offering: StoredOffering = {
        id,
        institutionId: caller.id,
        kind: input.kind,
        ...(input.evaluationKinds && { evaluationKinds: input.evaluationKinds }),
        title: input.title,
        description: input.description,
        qualifications: input.qualifications.map((q) => ({ ...q })),
        ...(input.price && { price: input.price }),
        ...(input.priceBasis && { priceBasis: input.priceBasis }),
        turnaroundDays: input.turnaroundDays,
        state: "in_review",
        createdAt: at,
        updatedAt: at,
        recordId: record.header.id,
      };
      unit.put(this.tables.offerings, id, offering);
      return offering;
    });
  }

  /**
   * A reviewer checks one qualification (by its place in the list, from 0). Once
   * every one passed the offering is published; one refused refuses it.
   */
  async reviewQualification(
    caller: Principal,
    offeringId: string,
    index: number,
    decision: { approved: boolean; reason?: string },
  ): Promise<StoredOffering> {
    if (!decision.approved && !decision.reason) {
      throw unprocessable("REASON_REQUIRED", "a refused qualification needs a reason the institution can act on");
    }
    return this.lock.run([offeringId], async () => {
      const offering = await this.stored(offeringId);
      if (offering.institutionId === caller.id) {
        throw forbidden("OWN_OFFERING", "a reviewer does not check the qualifications of their own offering");
      }
      if (offering.state !== "in_review") {
        throw conflict("OFFERING_NOT_IN_REVIEW", `the offering is ${offering.state}; only one in review is checked`);
      }
      const qualification = offering.qualifications[index];
      if (!qualification) {
        throw notFound(
          "NO_SUCH_QUALIFICATION",
          `the offering has ${offering.qualifications.length} qualifications, numbered from 0`,
        );
      }
      if (qualification.review) throw conflict("QUALIFICATION_REVIEWED", "this qualification was checked already");
      if (decision.approved && qualification.expiresOn < this.today()) {
        throw unprocessable("QUALIFICATION_EXPIRED", `the qualification expired on ${qualification.expiresOn}`);
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "service.offering.recorded",
          subject: offeringSubject(offeringId),
          data: {
            step: "qualification.reviewed",
            offering: offeringId,
            qualification: index,
            number: qualification.number,
            approved: decision.approved,
            ...(decision.reason && { reason: decision.reason }),
            by: caller.id,
          },
        });
        const at = record.header.recordedAt;
        const qualifications: Qualification[] = offering.qualifications.map((q, i) =>
          i === index
            ? {
                ...q,
                review: {
                  approved: decision.approved,
                  ...(decision.reason && { reason: decision.reason }),
                  by: caller.id,
                  at,
                  recordId: record.header.id,
                },
              }
            : q,
        );
        const state = !decision.approved
          ? "rejected"
          : qualifications.every((q) => q.review?.approved)
            ? "published"
            : "in_review";
        const next: StoredOffering = { ...offering, qualifications, state, updatedAt: at };
        unit.put(this.tables.offerings, offeringId, next);
        return next;
      });
    });
  }

  /** The institution withdraws its offering: it can no longer be ordered; orders placed keep their course. */
  async withdraw(caller: Principal, offeringId: string, reason?: string): Promise<StoredOffering> {
    return this.lock.run([offeringId], async () => {
      const offering = await this.stored(offeringId);
      if (offering.institutionId !== caller.id) {
        throw forbidden("NOT_YOUR_OFFERING", "an offering is withdrawn by the institution that published it");
      }
      if (offering.state === "withdrawn") throw conflict("OFFERING_WITHDRAWN", "the offering is withdrawn already");
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "service.offering.recorded",
          subject: offeringSubject(offeringId),
          data: { step: "offering.withdrawn", offering: offeringId, by: caller.id, ...(reason && { reason }) },
        });
        const at = record.header.recordedAt;
        const next: StoredOffering = {
          ...offering,
          state: "withdrawn",
          withdrawal: { ...(reason && { reason }), at, recordId: record.header.id },
          updatedAt: at,
        };
        unit.put(this.tables.offerings, offeringId, next);
        return next;
      });
    });
  }

  /** One offering: a published one to every signed-in caller, any to its institution and staff. */
  async get(viewer: Principal, offeringId: string): Promise<StoredOffering> {
    const offering = await this.tables.offerings.get(offeringId);
    if (!offering || !mayRead(viewer, offering)) throw offeringNotFound(offeringId);
    return offering;
  }

  /** The offerings `viewer` may read that fit `filter`, newest first. */
  async list(viewer: Principal, filter: OfferingFilter = {}): Promise<StoredOffering[]> {
    const words = (filter.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const found: StoredOffering[] = [];
    for await (const offering of this.tables.offerings.values()) {
      if (!mayRead(viewer, offering)) continue;
      if (filter.kind && offering.kind !== filter.kind) continue;
      if (filter.institutionId && offering.institutionId !== filter.institutionId) continue;
      if (filter.state && offering.state !== filter.state) continue;
      if (words.length > 0) {
        const haystack = [offering.title.zh, offering.title.en, offering.description.zh, offering.description.en]
          .filter(Boolean)
          .join(" ")
          .toLowerCase();
        if (!words.every((word) => haystack.includes(word))) continue;
      }
      found.push(offering);
    }
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * The offering an order is placed on: published, every qualification still
   * valid today, its institution still allowed to trade.
   */
  async orderable(offeringId: string): Promise<StoredOffering> {
    const offering = await this.tables.offerings.get(offeringId);
    if (!offering || offering.state === "in_review" || offering.state === "rejected") {
      throw unprocessable("OFFERING_NOT_ORDERABLE", `${offeringId} is not a published offering`);
    }
    if (offering.state === "withdrawn") {
      throw unprocessable("OFFERING_WITHDRAWN", "the institution withdrew this offering");
    }
    const expired = offering.qualifications.find((q) => q.expiresOn < this.today());
    if (expired) {
      throw unprocessable(
        "QUALIFICATION_EXPIRED",
        `the offering's qualification ${expired.number} expired on ${expired.expiresOn}`,
      );
    }
    assertMayTrade(await this.users.get(offering.institutionId));
    return offering;
  }

  /** The offering as stored, for the orders' own reads (no access check). */
  async find(offeringId: string): Promise<StoredOffering | undefined> {
    return this.tables.offerings.get(offeringId);
  }

  private async stored(offeringId: string): Promise<StoredOffering> {
    const offering = await this.tables.offerings.get(offeringId);
    if (!offering) throw offeringNotFound(offeringId);
    return offering;
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }
}

const offeringNotFound = (id: string) => notFound("OFFERING_NOT_FOUND", `no offering ${id} you may read`);

function mayRead(viewer: Principal, offering: StoredOffering): boolean {
  return offering.state === "published" || offering.institutionId === viewer.id || holdsAny(viewer, STAFF_READERS);
}

/** The rules the schema cannot state alone: evaluation sub-kinds only on evaluations, a price or its basis. */
function assertOfferingShape(input: OfferingInput): void {
  if (input.kind === "evaluation" && !input.evaluationKinds) {
    throw unprocessable(
      "EVALUATION_KINDS_REQUIRED",
      "an evaluation offering names what it evaluates: process, benefit, value, patent, financing",
    );
  }
  if (input.kind !== "evaluation" && input.evaluationKinds) {
    throw unprocessable("EVALUATION_KINDS_NOT_FOR_KIND", "only an evaluation offering names evaluation kinds");
  }
  if (!input.price && !input.priceBasis) {
    throw unprocessable("PRICE_REQUIRED", "give a price (integer fen) or the basis it is worked out on, or both");
  }
}

/** The certificate numbers that do not have their type's format, each as a problem of `error.details`. */
export function qualificationProblems(qualifications: OfferingInput["qualifications"], today: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  qualifications.forEach((qualification, i) => {
    const path = `body.qualifications.${i}`;
    const number = qualification.number;
    if (qualification.type === "licence") {
      const checked = validateCreditCode(number);
      if (!checked.ok) {
        problems.push({
          path: `${path}.number`,
          code: "QUALIFICATION_NUMBER_FORMAT",
          message: `a licence is numbered by the institution's unified social credit code: ${checked.message}`,
        });
      }
    } else if (qualification.type === "patent_agency") {
      if (!/^\d{5}$/.test(number)) {
        problems.push({
          path: `${path}.number`,
          code: "QUALIFICATION_NUMBER_FORMAT",
          message: "a patent agency's code (专利代理机构代码) is five digits",
        });
      }
    } else if (!/^[A-Z0-9][A-Z0-9-]{4,30}[A-Z0-9]$/.test(number)) {
      problems.push({
        path: `${path}.number`,
        code: "QUALIFICATION_NUMBER_FORMAT",
        message: "a practitioner's certificate number is 6–32 capital letters, digits and hyphens",
      });
    }
    if (qualification.expiresOn < today) {
      problems.push({
        path: `${path}.expiresOn`,
        code: "QUALIFICATION_EXPIRED",
        message: `the qualification expired on ${qualification.expiresOn}`,
      });
    }
  });
  return problems;
}
