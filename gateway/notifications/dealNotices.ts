import type { SealedRecord } from "tech-transfer-ledger/sdk";
import type { Notifier } from "./notifier";
import type { Reminders } from "./reminders";
import type { NotificationInput, PendingReminder } from "./types";

/** Who takes part in a deal, as the workspace says (`DealWorkspaces.participantsOf`). */
export interface DealPeople {
  supplierId: string;
  demanderId: string;
  brokerId?: string;
  managerId?: string;
  evaluatorIds: string[];
}

/** What the escrow terms say that the notices need: the arbitrator, the currency, each milestone's delivery date. */
export interface DealEscrowFacts {
  arbitratorId: string;
  currency: string;
  milestones: Array<{ title: string; deliverBy: string }>;
}

export interface DealNoticeSources {
  participantsOf(dealId: string): Promise<DealPeople | undefined>;
  escrowOf(dealId: string): Promise<DealEscrowFacts | undefined>;
  log?: (message: string) => void;
}

/** Escrow events that leave a milestone's deadlines as they are; any other event of the milestone ends its periods. */
const KEEPS_DEADLINES = new Set(["DepositLocked", "SettlementProposed", "InstructionFailed", "InstructionReissued"]);

/** One notice: who hears it (less whoever did it), and what. */
interface Notice {
  to: Array<string | undefined>;
  except?: string;
  notification: NotificationInput;
}

type Record = SealedRecord;

/**
 * The one place that turns what happened in a deal into notifications for the
 * people it concerns. It reads every record once it is durable (the recorder's
 * `onRecorded`): deal moves, participants, negotiation messages (a confidential
 * thread's only to those who may read it), visits, evaluations, contract
 * versions and signatures, royalty statements, escrow terms, moves and events,
 * and dispute messages; and it schedules (and strikes off) the reminders of the
 * deadlines those records set. docs/NOTIFICATIONS.md lists every kind.
 */
export class DealNotices {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly notifier: Notifier,
    private readonly reminders: Reminders,
    private readonly sources: DealNoticeSources,
  ) {}

  /** Takes the records of one durable write; handles them in the order they were written. */
  recorded(records: readonly Record[]): void {
    const deals = records.filter((record) => record.header.subject.startsWith("deal:"));
    if (deals.length === 0) return;
    this.queue = this.queue.then(async () => {
      for (const record of deals) {
        await this.handle(record).catch((error: Error) =>
          this.sources.log?.(
            `no notification for record ${record.header.id} (${record.header.kind}): ${error.message}`,
          ),
        );
      }
    });
  }

  /** Resolves once every record handed in so far is handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async handle(record: Record): Promise<void> {
    if (!mayConcernAnyone(record)) return;
    const dealId = record.header.subject.slice("deal:".length);
    const people = await this.sources.participantsOf(dealId);
    if (!people) return;
    const notices = await this.noticesOf(record, dealId, people);
    for (const notice of notices) {
      const to = new Set(notice.to.filter((id): id is string => id !== undefined && id !== notice.except));
      for (const userId of to) {
        await this.notifier.notify(userId, { recordId: record.header.id, dealId, ...notice.notification });
      }
    }
  }

  private async noticesOf(record: Record, dealId: string, people: DealPeople): Promise<Notice[]> {
    const data = record.data as { [key: string]: unknown };
    const by = typeof data.by === "string" ? data.by : undefined;
    const parties = [people.supplierId, people.demanderId];
    const staff = [people.brokerId, people.managerId];
    const everyone = [...parties, ...staff];
    const workspace = `/v1/deals/${dealId}/workspace`;
    switch (record.header.kind) {
      case "deal.moved":
        return [
          {
            to: everyone,
            except: data.as === "escrow" ? undefined : by,
            notification: {
              kind: "deal.moved",
              text: `Deal ${dealId} moved from ${String(data.from)} to ${String(data.to)} (${String(data.move)})`,
              link: workspace,
            },
          },
        ];
      case "deal.participant.changed":
        return [
          {
            to: [...everyone, data.user as string],
            except: by,
            notification: {
              kind: "deal.participant",
              text: `${String(data.user)} was ${String(data.outcome ?? "engaged")} as the ${String(data.role)} of deal ${dealId}`,
              link: workspace,
            },
          },
        ];
      case "negotiation.recorded":
        return this.negotiationNotices(data, dealId, people, (await this.sources.escrowOf(dealId))?.arbitratorId);
      case "investigation.recorded": {
        const evaluation = data.type === "evaluation";
        return [
          {
            to: everyone,
            except: by,
            notification: evaluation
              ? {
                  kind: "deal.evaluation",
                  text: `A ${String(data.kind)} evaluation of deal ${dealId} was submitted`,
                  link: `/v1/deals/${dealId}/evaluations`,
                }
              : {
                  kind: "deal.visit",
                  text: `A site visit of deal ${dealId} was ${data.type === "site-visit" ? "recorded" : "confirmed"}`,
                  link: `/v1/deals/${dealId}/visits`,
                },
          },
        ];
      }
      case "contract.drafted": {
        const link = `/v1/deals/${dealId}/contract`;
        if (data.type === "signature") {
          const signer = data.side === "supplier" ? people.supplierId : people.demanderId;
          return [
            {
              to: everyone,
              except: signer,
              notification: {
                kind: "contract.signature",
                text: `The ${String(data.side)} signed version ${String(data.version)} of the contract of deal ${dealId}`,
                link,
              },
            },
          ];
        }
        return [
          {
            to: everyone,
            except: by,
            notification: {
              kind: "contract.version",
              text: `Version ${String(data.version)} of the contract of deal ${dealId} is ready to read and sign`,
              link,
            },
          },
        ];
      }
      case "contract.signed":
        return [
          {
            to: everyone,
            notification: {
              kind: "contract.signed",
              text: `Both parties signed version ${String(data.version)} of the contract of deal ${dealId}`,
              link: `/v1/deals/${dealId}/contract`,
            },
          },
        ];
      case "royalty.reported": {
        const dueBy = `${String(data.dueBy)}T23:59:59.999Z`;
        const notification: NotificationInput = {
          kind: "royalty.reported",
          text: `A royalty statement of deal ${dealId} was reported: ${money(data.royalty, data.currency as string | undefined)} due by ${String(data.dueBy)}`,
          link: `/v1/deals/${dealId}/royalties`,
          deadline: dueBy,
        };
        await this.remind({
          key: `${dealId}:royalty:${String((data.period as { to?: string })?.to)}`,
          clock: "gateway",
          deadline: dueBy,
          userIds: by ? [by] : [people.demanderId],
          from: Date.parse(record.header.recordedAt) / 1000,
          notification: {
            kind: "reminder.deadline",
            text: `The royalty of deal ${dealId} for the period to ${String((data.period as { to?: string })?.to)} is due by ${String(data.dueBy)}`,
            link: `/v1/deals/${dealId}/royalties`,
            dealId,
            deadline: dueBy,
          },
        });
        return [{ to: everyone, except: by, notification }];
      }
      case "escrow.terms.proposed":
        return [
          {
            to: parties,
            except: data.proposedBy as string,
            notification: {
              kind: "escrow.terms",
              text: `Escrow terms (version ${String(data.version)}) of deal ${dealId} were proposed: read and sign them`,
              link: `/v1/deals/${dealId}/escrow`,
            },
          },
        ];
      case "escrow.terms.signed":
        return [
          {
            to: parties,
            except: data.side === "supplier" ? people.supplierId : people.demanderId,
            notification: {
              kind: "escrow.terms",
              text: `The ${String(data.side)} signed the escrow terms (version ${String(data.version)}) of deal ${dealId}`,
              link: `/v1/deals/${dealId}/escrow`,
            },
          },
        ];
      case "escrow.move":
        if (data.waitingForOtherParty !== true) return [];
        return [
          {
            to: [data.side === "supplier" ? people.demanderId : people.supplierId],
            notification: {
              kind: "escrow.signature-requested",
              text: `The ${String(data.side)} signed "${String(data.move)}" on milestone ${String(data.milestone)} of deal ${dealId}: it waits for your signature`,
              link: `/v1/deals/${dealId}/escrow`,
              milestone: Number(data.milestone),
            },
          },
        ];
      case "escrow.event":
        return this.escrowNotices(record, dealId, people);
      default:
        return [];
    }
  }

  private negotiationNotices(
    data: { [key: string]: unknown },
    dealId: string,
    people: DealPeople,
    arbitratorId: string | undefined,
  ): Notice[] {
    const staff = [people.brokerId, people.managerId];
    const parties = [people.supplierId, people.demanderId];
    if (typeof data.dispute === "string") {
      // A message in a milestone's dispute (gateway/escrow/disputes.ts): the parties and the arbitrator.
      return [
        {
          to: [...parties, arbitratorId],
          except: data.by as string,
          notification: {
            kind: "dispute.message",
            text: `A new message in the dispute over milestone ${String(data.milestone)} of deal ${dealId}`,
            link: `/v1/disputes/${data.dispute}`,
            milestone: Number(data.milestone),
          },
        },
      ];
    }
    if (data.type === "message") {
      // A confidential thread is read by the parties, broker and manager, not by evaluators.
      const readers =
        data.confidential === true ? [...parties, ...staff] : [...parties, ...staff, ...people.evaluatorIds];
      return [
        {
          to: readers,
          except: data.author as string,
          notification: {
            kind: "deal.message",
            text: `A new message in deal ${dealId}`,
            link: `/v1/deals/${dealId}/messages?thread=${String(data.thread)}`,
          },
        },
      ];
    }
    const what: { [type: string]: string } = {
      "session.requested": "A formal negotiation session was requested",
      minutes: "Negotiation minutes were recorded: read and sign them",
      "minutes.signature": "A party signed the negotiation minutes",
      "minutes.signed": "Both parties signed the negotiation minutes",
    };
    const text = what[String(data.type)];
    if (!text) return [];
    return [
      {
        to: [...parties, ...staff],
        except: (data.by ?? data.recordedBy) as string | undefined,
        notification: {
          kind: "deal.negotiation",
          text: `${text} in deal ${dealId}`,
          link: `/v1/deals/${dealId}/workspace`,
        },
      },
    ];
  }

  /** An escrow event: who it concerns, and the deadlines it starts or ends. */
  private async escrowNotices(record: Record, dealId: string, people: DealPeople): Promise<Notice[]> {
    const data = record.data as {
      event: string;
      milestone?: number;
      args?: { [key: string]: string };
      blockTime?: string;
    };
    const escrow = await this.sources.escrowOf(dealId);
    const parties = [people.supplierId, people.demanderId];
    const staff = [people.brokerId, people.managerId];
    const link = `/v1/deals/${dealId}/escrow`;
    const from = data.blockTime ? Date.parse(data.blockTime) / 1000 : Date.parse(record.header.recordedAt) / 1000;
    if (data.event === "DealCreated") {
      for (const [index, milestone] of (escrow?.milestones ?? []).entries()) {
        await this.remind({
          key: `${dealId}:${index}:deliver`,
          clock: "escrow",
          deadline: milestone.deliverBy,
          userIds: [people.supplierId],
          from,
          notification: {
            kind: "reminder.deadline",
            text: `Milestone ${index} (${milestone.title}) of deal ${dealId} is to be delivered by ${milestone.deliverBy}`,
            link,
            dealId,
            milestone: index,
            deadline: milestone.deliverBy,
          },
        });
      }
      return [];
    }
    const m = Number(data.milestone);
    const args = data.args ?? {};
    // A deadline of 0 is none.
    const at = (seconds: string | undefined) =>
      Number(seconds) > 0 ? new Date(Number(seconds) * 1000).toISOString() : undefined;
    const arbitrator = escrow?.arbitratorId;
    const currency = escrow?.currency;
    const about = `milestone ${m} of deal ${dealId}`;
    const notice = (to: Array<string | undefined>, notification: Omit<NotificationInput, "link">): Notice => ({
      to,
      notification: { link, milestone: m, ...notification },
    });
    if (!KEEPS_DEADLINES.has(data.event)) await this.reminders.cancel(`${dealId}:${m}:`);
    const reminder = async (
      what: string,
      userIds: Array<string | undefined>,
      deadline: string | undefined,
      text: string,
    ) => {
      if (!deadline) return;
      await this.remind({
        key: `${dealId}:${m}:${what}`,
        clock: "escrow",
        deadline,
        userIds: userIds.filter((id): id is string => id !== undefined),
        from,
        notification: { kind: "reminder.deadline", text, link, dealId, milestone: m, deadline },
      });
    };
    switch (data.event) {
      case "DeliverySubmitted": {
        const deadline = at(args.inspectionEnds);
        await reminder(
          "inspection",
          [people.demanderId],
          deadline,
          `The inspection period of ${about} ends at ${deadline}: accept, ask for changes or dispute before then, or anyone may release the payment`,
        );
        return [
          notice([people.demanderId, ...staff], {
            kind: "delivery.submitted",
            text: `The supplier delivered ${about} (round ${args.round}); inspect it by ${deadline}`,
            deadline,
          }),
        ];
      }
      case "ChangesRequested": {
        const deadline = at(args.deadline);
        await reminder(
          "changes",
          [people.supplierId],
          deadline,
          `The changes the demander asked for on ${about} are due by ${deadline}`,
        );
        return [
          notice([people.supplierId, ...staff], {
            kind: "delivery.changes-requested",
            text: `The demander asked for changes to ${about}; deliver again${deadline ? ` by ${deadline}` : ""}`,
            deadline,
          }),
        ];
      }
      case "DeliveryAccepted":
        return [
          notice([people.supplierId, ...staff], { kind: "delivery.accepted", text: `The demander accepted ${about}` }),
        ];
      case "InstructionIssued":
      case "InstructionReissued":
        return [
          notice(parties, {
            kind: "escrow.instruction",
            text: `The escrow instructed the bank on ${about}: release ${money(args.release, currency)}, refund ${money(args.refund, currency)}`,
          }),
        ];
      case "InstructionFailed":
        return [
          notice(parties, {
            kind: "escrow.instruction",
            text: `The bank could not carry out the instruction on ${about}`,
          }),
        ];
      case "MilestoneReleased":
        return [
          notice([...parties, ...staff], {
            kind: "escrow.released",
            text: `${money(args.amount, currency)} of ${about} was released to the supplier`,
          }),
        ];
      case "MilestoneRefunded":
        return [
          notice([...parties, ...staff], {
            kind: "escrow.refunded",
            text: `${money(args.amount, currency)} of ${about} was refunded to the demander`,
          }),
        ];
      case "MilestoneSplit":
        return [
          notice([...parties, ...staff], {
            kind: "escrow.split",
            text: `${about} was split: ${money(args.released, currency)} released, ${money(args.refunded, currency)} refunded`,
          }),
        ];
      case "DisputeOpened":
        return [
          notice([...parties, ...staff, arbitrator], {
            kind: "dispute.opened",
            text: `A dispute was opened over ${about}`,
          }),
        ];
      case "SettlementProposed":
      case "SettlementAccepted":
        return [
          notice(parties, {
            kind: "dispute.settlement",
            text: `A settlement of ${about} was ${data.event === "SettlementProposed" ? "proposed" : "accepted"}: release ${money(args.release, currency)}, refund ${money(args.refund, currency)}`,
          }),
        ];
      case "DisputeEscalated":
      case "RulingAppealed": {
        const deadline = at(args.rulingDeadline);
        await reminder("ruling", [arbitrator], deadline, `Your ruling on ${about} is due by ${deadline}`);
        const escalated = data.event === "DisputeEscalated";
        return [
          notice([...parties, arbitrator], {
            kind: escalated ? "dispute.escalated" : "dispute.appealed",
            text: `The dispute over ${about} was ${escalated ? "escalated to the arbitrator" : "appealed"}; the ruling is due by ${deadline}`,
            deadline,
          }),
        ];
      }
      case "RulingIssued": {
        const deadline = at(args.appealEnds);
        await reminder(
          "appeal",
          parties,
          deadline,
          `The appeal window of the ruling on ${about} closes at ${deadline}`,
        );
        return [
          notice([...parties, ...staff], {
            kind: "dispute.ruled",
            text: `The arbitrator ruled on ${about}: release ${money(args.release, currency)}, refund ${money(args.refund, currency)}; it may be appealed until ${deadline}`,
            deadline,
          }),
        ];
      }
      case "RulingFinalized":
        return [
          notice([...parties, arbitrator], { kind: "dispute.finalized", text: `The ruling on ${about} is final` }),
        ];
      case "InspectionLapsed":
        return [notice(parties, { kind: "escrow.milestone", text: `The inspection period of ${about} lapsed` })];
      case "RefundClaimed":
        return [notice(parties, { kind: "escrow.milestone", text: `The demander claimed the refund of ${about}` })];
      case "MilestoneCancelled":
        return [notice(parties, { kind: "escrow.milestone", text: `${about} was cancelled` })];
      case "DepositLocked":
        return [
          notice([...parties, ...staff], {
            kind: "escrow.milestone",
            text: `The bank locked ${money(args.amount, currency)} for ${about}`,
          }),
        ];
      default:
        return [];
    }
  }

  private async remind(input: Omit<PendingReminder, "dueAt"> & { from: number }): Promise<void> {
    await this.reminders.schedule(input);
  }
}

/** The kinds of deal records `noticesOf` tells anyone of (keep in step with its switch). */
const KINDS_WITH_NOTICES = new Set([
  "deal.moved",
  "deal.participant.changed",
  "negotiation.recorded",
  "investigation.recorded",
  "contract.drafted",
  "contract.signed",
  "royalty.reported",
  "escrow.terms.proposed",
  "escrow.terms.signed",
  "escrow.move",
  "escrow.event",
]);

/**
 * Whether a record can concern anyone, known before the deal's participants are
 * read (two reads of the store): most records written to a deal's subject through
 * `POST /v1/evidence` concern nobody, and intake writes thousands a second. An
 * `escrow.event` is the escrow's own only when it names its transaction, as every
 * event the gateway records from the chain does.
 */
function mayConcernAnyone(record: Record): boolean {
  if (!KINDS_WITH_NOTICES.has(record.header.kind)) return false;
  if (record.header.kind !== "escrow.event") return true;
  return typeof (record.data as { transactionHash?: unknown }).transactionHash === "string";
}

/** An amount in minor units (fen, cents) as a person reads it. */
function money(amount: unknown, currency: string | undefined): string {
  const value = Number(amount ?? 0) / 100;
  return `${value.toFixed(2)}${currency ? ` ${currency}` : ""}`;
}
