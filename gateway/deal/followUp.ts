import { randomBytes } from "node:crypto";
import type { CheckInQuestionnaire, FollowUpQuestionKind } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder, EvidenceUnit } from "../evidence/recorder";
import type { Notifier } from "../market/notifications";
import { dealSubject } from "../market/types";
import { FOLLOW_UP_STATES, type CheckIn, type FollowUpQuestion } from "./aftercareTypes";
import { dealItemKey, type DealRepository } from "./repository";
import type { DealActor } from "./states";
import type { DealWorkspace } from "./types";
import type { DealWorkspaces } from "./workspace";

type Side = "supplier" | "demander";

/** When a check-in falls due: months or days after delivery, or a date. */
export type CheckInWhen = { afterMonths: number } | { afterDays: number } | { dueAt: string };

/**
 * Follow-up after delivery (clause 6.9, docs/AFTERCARE.md).
 *
 * Passive: a party asks a question (a technical question, training, a problem in
 * use); the counter-party or the deal's manager answers; the time from asking to
 * the first answer is kept; the asker closes the question.
 *
 * Active: the deal's manager schedules check-ins (months or days after the
 * delivery, or on dates) that ask a party to fill in a questionnaire
 * (implementation, outputs and benefit, problems); a sweep tells the party when
 * one falls due, once (the queue of reminders is in the store, so a restart
 * neither loses nor repeats one); the answer is a record.
 *
 * Each step is a `followup.recorded` record of the deal. The first question or
 * check-in of a delivered deal moves it to `following_up` (the table's
 * `begin_follow_up`), in the same write.
 */
export class DealFollowUp {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly workspaces: DealWorkspaces,
    private readonly notifier: Notifier,
    private readonly clock: () => Date = () => new Date(),
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** A party asks a question in a delivered deal. */
  async ask(caller: Principal, dealId: string, input: { kind: FollowUpQuestionKind; text: string }) {
    await this.workspaces.prepare(dealId);
    return this.workspaces.lock.run([dealId], async () => {
      const { workspace, actors } = await this.workspaces.standing(caller, dealId);
      const side = sideOf(actors);
      if (!side) throw forbidden("PARTIES_ONLY", "follow-up questions are asked by the deal's supplier or demander");
      assertFollowingUp(workspace);
      const id = `fq_${randomBytes(8).toString("hex")}`;
      return this.recorder.write(async (unit) => {
        await this.beginFollowUp(unit, workspace, caller.id, side, "a follow-up question was asked");
        const record = await unit.seal({
          kind: "followup.recorded",
          subject: dealSubject(dealId),
          data: { step: "question.asked", question: id, kind: input.kind, text: input.text, by: caller.id, as: side },
        });
        const question: FollowUpQuestion = {
          id,
          dealId,
          kind: input.kind,
          text: input.text,
          askedBy: caller.id,
          askedAs: side,
          askedAt: record.header.recordedAt,
          recordId: record.header.id,
          status: "open",
          answers: [],
        };
        unit.put(this.tables.followUpQuestions, dealItemKey(dealId, id), question);
        return question;
      });
    });
  }

  /** The counter-party of the asker, or the deal's manager, answers a question that is not closed. */
  async answer(caller: Principal, dealId: string, questionId: string, text: string) {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    return this.workspaces.lock.run([`${dealId}:follow-up`], async () => {
      const question = await this.question(dealId, questionId);
      if (question.status === "closed") throw conflict("QUESTION_CLOSED", "the asker closed this question");
      const counterParty: Side = question.askedAs === "supplier" ? "demander" : "supplier";
      const as = actors.includes(counterParty) ? counterParty : actors.includes("manager") ? "manager" : undefined;
      if (!as || caller.id === question.askedBy) {
        throw forbidden(
          "NOT_AN_ANSWERER",
          `a question of the ${question.askedAs} is answered by the ${counterParty} or the deal's manager`,
        );
      }
      assertFollowingUp(workspace);
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "followup.recorded",
          subject: dealSubject(dealId),
          data: { step: "question.answered", question: questionId, text, by: caller.id, as },
        });
        const at = record.header.recordedAt;
        const first = question.firstAnsweredAt === undefined;
        const next: FollowUpQuestion = {
          ...question,
          status: "answered",
          answers: [...question.answers, { text, by: caller.id, as, at, recordId: record.header.id }],
          ...(first && {
            firstAnsweredAt: at,
            responseSeconds: Math.round((Date.parse(at) - Date.parse(question.askedAt)) / 1000),
          }),
        };
        unit.put(this.tables.followUpQuestions, dealItemKey(dealId, questionId), next);
        return next;
      });
    });
  }

  /** The asker closes their question (answered or not): it takes no more answers. */
  async close(caller: Principal, dealId: string, questionId: string) {
    await this.workspaces.standing(caller, dealId);
    return this.workspaces.lock.run([`${dealId}:follow-up`], async () => {
      const question = await this.question(dealId, questionId);
      if (caller.id !== question.askedBy) throw forbidden("ASKER_ONLY", "a question is closed by the one who asked it");
      if (question.status === "closed") throw conflict("QUESTION_CLOSED", "the question is closed already");
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "followup.recorded",
          subject: dealSubject(dealId),
          data: { step: "question.closed", question: questionId, by: caller.id },
        });
        const next: FollowUpQuestion = {
          ...question,
          status: "closed",
          closedAt: record.header.recordedAt,
          closedRecordId: record.header.id,
        };
        unit.put(this.tables.followUpQuestions, dealItemKey(dealId, questionId), next);
        return next;
      });
    });
  }

  /** The deal's questions, oldest first, for its participants and overseers. */
  async questions(viewer: Principal, dealId: string): Promise<FollowUpQuestion[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.questionsOf(dealId);
  }

  /** The deal's questions without a caller: for the statistics, which check their caller themselves. */
  async questionsOf(dealId: string): Promise<FollowUpQuestion[]> {
    const questions = await this.tables.itemsOf(this.tables.followUpQuestions, dealId);
    return questions.sort((a, b) => a.askedAt.localeCompare(b.askedAt));
  }

  /**
   * The deal's manager schedules check-ins for a party (the demander unless
   * said otherwise): months or days after the delivery (the deal's `deliver`
   * move), or on dates to come.
   */
  async schedule(caller: Principal, dealId: string, input: { party: Side; when: CheckInWhen[] }) {
    await this.workspaces.prepare(dealId);
    return this.workspaces.lock.run([dealId], async () => {
      const { workspace, actors } = await this.workspaces.standing(caller, dealId);
      if (!actors.includes("manager")) throw forbidden("MANAGER_ONLY", "check-ins are scheduled by the deal's manager");
      assertFollowingUp(workspace);
      const now = this.clock();
      const delivered = workspace.history.findLast((entry) => entry.to === "delivered")?.at;
      const from = delivered ? new Date(delivered) : now;
      const dues = input.when.map((when) => dueDate(from, when));
      const past = input.when.findIndex((when, i) => "dueAt" in when && dues[i] <= now);
      if (past >= 0) throw unprocessable("CHECK_IN_IN_PAST", `check-in ${past + 1} is dated in the past`);
      const partyId = input.party === "supplier" ? workspace.supplierId : workspace.demanderId;
      return this.recorder.write(async (unit) => {
        await this.beginFollowUp(unit, workspace, caller.id, "manager", "check-ins were scheduled");
        const checkIns: CheckIn[] = [];
        for (const due of dues) {
          const id = `chk_${randomBytes(8).toString("hex")}`;
          const dueAt = due.toISOString();
          const record = await unit.seal({
            kind: "followup.recorded",
            subject: dealSubject(dealId),
            data: { step: "checkin.scheduled", checkIn: id, party: input.party, dueAt, by: caller.id },
          });
          const checkIn: CheckIn = {
            id,
            dealId,
            party: input.party,
            partyId,
            dueAt,
            scheduledBy: caller.id,
            scheduledAt: record.header.recordedAt,
            recordId: record.header.id,
            status: "scheduled",
          };
          unit.put(this.tables.checkIns, dealItemKey(dealId, id), checkIn);
          unit.put(this.tables.checkInReminders, reminderKey(checkIn), dealItemKey(dealId, id));
          checkIns.push(checkIn);
        }
        return checkIns;
      });
    });
  }

  /** The party a check-in asks fills in its questionnaire (once; before or after it falls due). */
  async answerCheckIn(caller: Principal, dealId: string, checkInId: string, questionnaire: CheckInQuestionnaire) {
    const { workspace } = await this.workspaces.standing(caller, dealId);
    return this.workspaces.lock.run([`${dealId}:follow-up`], async () => {
      const checkIn = await this.tables.checkIns.get(dealItemKey(dealId, checkInId));
      if (!checkIn) throw notFound("CHECK_IN_NOT_FOUND", `the deal has no check-in ${checkInId}`);
      if (caller.id !== checkIn.partyId) {
        throw forbidden("NOT_YOUR_CHECK_IN", `this check-in asks the deal's ${checkIn.party}`);
      }
      if (checkIn.status === "answered") throw conflict("CHECK_IN_ANSWERED", "this check-in is answered already");
      assertFollowingUp(workspace);
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "followup.recorded",
          subject: dealSubject(dealId),
          data: { step: "checkin.answered", checkIn: checkInId, questionnaire, by: caller.id },
        });
        const next: CheckIn = {
          ...checkIn,
          status: "answered",
          answer: { questionnaire, by: caller.id, at: record.header.recordedAt, recordId: record.header.id },
        };
        unit.put(this.tables.checkIns, dealItemKey(dealId, checkInId), next);
        // An answered check-in needs no reminder.
        if (!checkIn.remindedAt) unit.del(this.tables.checkInReminders, reminderKey(checkIn));
        return next;
      });
    });
  }

  /** The deal's check-ins, soonest due first. */
  async checkIns(viewer: Principal, dealId: string): Promise<CheckIn[]> {
    await this.workspaces.standing(viewer, dealId);
    const checkIns = await this.tables.itemsOf(this.tables.checkIns, dealId);
    return checkIns.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /**
   * Tells each party whose check-in has fallen due, once: the reminder is taken
   * off the queue (and the check-in marked reminded) before the notification
   * goes, so a stop in between loses that one reminder rather than sending it
   * twice. Answers how many were sent.
   */
  async remindDue(): Promise<number> {
    this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweep(): Promise<number> {
    const now = this.clock().toISOString();
    const due: Array<[string, string]> = [];
    // Keys begin with the due time: every key of a check-in due by now sorts below `now` followed by \x01.
    for await (const entry of this.tables.checkInReminders.iterator({ lt: `${now}\x01` })) due.push(entry);
    let sent = 0;
    for (const [key, itemKey] of due) {
      const [dealId] = itemKey.split("\x00");
      const reminded = await this.workspaces.lock.run([`${dealId}:follow-up`], async () => {
        const checkIn = await this.tables.checkIns.get(itemKey);
        const remind = checkIn !== undefined && checkIn.status === "scheduled" && !checkIn.remindedAt;
        await this.recorder.write((unit) => {
          unit.del(this.tables.checkInReminders, key);
          if (remind) unit.put(this.tables.checkIns, itemKey, { ...checkIn, remindedAt: now });
        });
        return remind ? checkIn : undefined;
      });
      if (!reminded) continue;
      await this.notifier.notify(reminded.partyId, {
        kind: "followup.checkin.due",
        text: `A follow-up check-in of deal ${reminded.dealId} is due (${reminded.dueAt.slice(0, 10)}): please answer its questionnaire`,
        link: `/v1/deals/${reminded.dealId}/check-ins/${reminded.id}`,
      });
      sent++;
    }
    return sent;
  }

  /** Sweeps for due check-ins every `intervalMs` until `stop`. */
  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => {
      // A failed sweep leaves its reminders queued: the next one sends them.
      this.remindDue().catch((error: Error) => this.log(`check-in reminders: ${error.message}`));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  private async question(dealId: string, questionId: string): Promise<FollowUpQuestion> {
    const question = await this.tables.followUpQuestions.get(dealItemKey(dealId, questionId));
    if (!question) throw notFound("QUESTION_NOT_FOUND", `the deal has no question ${questionId}`);
    return question;
  }

  /** The first follow-up step of a delivered deal moves it to `following_up`, in the step's unit. */
  private async beginFollowUp(unit: EvidenceUnit, workspace: DealWorkspace, by: string, as: DealActor, reason: string) {
    if (workspace.state !== "delivered") return;
    await this.workspaces.applyMove(unit, workspace, "begin_follow_up", by, as, reason);
  }
}

function sideOf(actors: readonly DealActor[]): Side | undefined {
  return actors.find((actor): actor is Side => actor === "supplier" || actor === "demander");
}

/** Follow-up happens after delivery and before the deal is closed. */
function assertFollowingUp(workspace: DealWorkspace): void {
  if (!(FOLLOW_UP_STATES as readonly string[]).includes(workspace.state)) {
    throw conflict(
      "FOLLOW_UP_NOT_OPEN",
      `the deal is ${workspace.state}: follow-up happens once it is delivered and until it is closed`,
    );
  }
}

function dueDate(from: Date, when: CheckInWhen): Date {
  if ("dueAt" in when) return new Date(when.dueAt);
  if ("afterDays" in when) return new Date(from.getTime() + when.afterDays * 86_400_000);
  return addMonths(from, when.afterMonths);
}

/**
 * `months` calendar months after `from` (UTC), on the same day or the month's last
 * when it is shorter: a month after 31 January is 28 or 29 February, not 3 March.
 *
 * @example
 * addMonths(new Date("2027-01-31T09:00:00Z"), 1) // 2027-02-28T09:00:00Z
 */
export function addMonths(from: Date, months: number): Date {
  const due = new Date(from);
  due.setUTCDate(1);
  due.setUTCMonth(due.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return due;
}

const reminderKey = (checkIn: CheckIn) => `${checkIn.dueAt}\x00${checkIn.dealId}\x00${checkIn.id}`;
