import type { CheckInView, ComplaintView, FollowUpQuestionView, RatingView } from "tech-transfer-ledger/sdk";

/** A follow-up question with its answers, as stored and answered (6.9). */
export type FollowUpQuestion = FollowUpQuestionView;

/** A check-in the manager scheduled, as stored and answered (6.9). */
export type CheckIn = CheckInView;

/** A party's rating of a participant or of the platform (6.11). */
export type Rating = RatingView;

/** A complaint as stored: the answer's `overdue` is worked out when it is read. */
export type Complaint = Omit<ComplaintView, "overdue">;

/** The deal states in which follow-up happens: after delivery, before the deal is closed. */
export const FOLLOW_UP_STATES = ["delivered", "following_up"] as const;

/** The deal states in which the parties rate: after delivery, until the deal is archived. */
export const RATING_STATES = ["delivered", "following_up", "closed"] as const;
