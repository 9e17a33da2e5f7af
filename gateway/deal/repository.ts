import type { Database, Table } from "../store/database";
import type {
  DealContract,
  DealEvaluation,
  DealMessage,
  DealWorkspace,
  NegotiationMinutes,
  SessionRequest,
  SiteVisit,
  RoyaltyStatement,
  DealSummaryPart,
  StoredArchive,
} from "./types";
import type { CheckIn, Complaint, FollowUpQuestion, Rating } from "./aftercareTypes";

/** Key of a deal's item, so one deal's items are read with one range: `dealId NUL itemKey`. */
export const dealItemKey = (dealId: string, key: string) => `${dealId}\x00${key}`;

/** The deal workspace's tables: workspaces, messages, session requests, minutes, site visits, evaluations, contracts, royalty statements, summaries and archives. */
export class DealRepository {
  /** The workspace by deal id (made the first time a deal is used here). */
  readonly workspaces;
  /** Messages by `dealId NUL time NUL id`, in the order they were written. */
  readonly messages;
  readonly sessionRequests;
  /** Minutes by `dealId NUL id`. */
  readonly minutes;
  /** Site visits by `dealId NUL id`. */
  readonly visits;
  /** Evaluation reports by `dealId NUL id`. */
  readonly evaluations;
  /** The technology contract by deal id: its versions and signatures. */
  readonly contracts;
  /** Royalty statements, keyed by deal and period. */
  readonly royaltyStatements;
  /** Follow-up questions by `dealId NUL id` (6.9). */
  readonly followUpQuestions;
  /** Check-ins by `dealId NUL id` (6.9). */
  readonly checkIns;
  /** Check-ins whose reminder is not sent yet, by `dueAt NUL dealId NUL id`: the reminder sweep's queue. */
  readonly checkInReminders;
  /** Ratings by `dealId NUL rater NUL role NUL rated` (6.11). */
  readonly ratings;
  /** The same ratings by `rated NUL dealId NUL rater NUL role`: a profile's figures in one range. */
  readonly ratingsByRated;
  /** Complaints by id (6.11). */
  readonly complaints;
  /** The summary's parts (6.10) by `dealId NUL type:userId`. */
  readonly summaries;
  /** The deal's archive by deal id: the file while it is kept, its digest and purge after. */
  readonly archives;

  constructor(readonly database: Database) {
    this.workspaces = database.table<DealWorkspace>("deal-workspaces");
    this.messages = database.table<DealMessage>("deal-messages");
    this.sessionRequests = database.table<SessionRequest>("deal-session-requests");
    this.minutes = database.table<NegotiationMinutes>("deal-minutes");
    this.visits = database.table<SiteVisit>("deal-visits");
    this.evaluations = database.table<DealEvaluation>("deal-evaluations");
    this.contracts = database.table<DealContract>("deal-contracts");
    this.royaltyStatements = database.table<RoyaltyStatement>("deal-royalty-statements");
    this.followUpQuestions = database.table<FollowUpQuestion>("deal-follow-up-questions");
    this.checkIns = database.table<CheckIn>("deal-check-ins");
    this.checkInReminders = database.table<string>("deal-check-in-reminders", "utf8");
    this.ratings = database.table<Rating>("deal-ratings");
    this.ratingsByRated = database.table<Rating>("deal-ratings-by-rated");
    this.complaints = database.table<Complaint>("deal-complaints");
    this.summaries = database.table<DealSummaryPart>("deal-summaries");
    this.archives = database.table<StoredArchive>("deal-archives");
  }

  /** Every item of `dealId` in `table`, in key order. */
  async itemsOf<V>(table: Table<V>, dealId: string): Promise<V[]> {
    const items: V[] = [];
    for await (const item of table.values({ gte: `${dealId}\x00`, lt: `${dealId}\x01` })) items.push(item);
    return items;
  }
}
