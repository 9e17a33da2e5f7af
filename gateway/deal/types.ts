import type {
  DealMessageView,
  DealWorkspaceView,
  NegotiationMinutesView,
  SiteVisitView,
} from "tech-transfer-ledger/sdk";

/** A deal's workspace as stored: the SDK's view less what depends on who asks (`roles`, `moves`). */
export type DealWorkspace = Omit<DealWorkspaceView, "roles" | "moves">;

/** A message of a deal's negotiation (6.5): the SDK's shape, which the API answers. */
export type DealMessage = DealMessageView;

/** Formal negotiation minutes with the parties' signatures (6.5). */
export type NegotiationMinutes = NegotiationMinutesView;

/** A site visit (6.6). */
export type SiteVisit = SiteVisitView;

/** A party's request that the broker organise a formal negotiation session (6.5). */
export interface SessionRequest {
  id: string;
  dealId: string;
  requestedBy: string;
  agenda: string[];
  proposedTimes: string[];
  note?: string;
  at: string;
  recordId: string;
}

/** The kinds of evaluation the standard lists (6.6). */
export const EVALUATION_KINDS = ["process", "benefit", "value", "patent", "financing"] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];

/** Who is a party, the deal's broker or manager, or an evaluator engaged for it. */
export type DealRole = "supplier" | "demander" | "broker" | "manager" | "evaluator";

/** The first thread of every deal. */
export const MAIN_THREAD = "thr_main";
