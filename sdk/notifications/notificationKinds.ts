/**
 * Every kind of notification a user's inbox, live stream and webhooks carry
 * (docs/NOTIFICATIONS.md says who gets each and when): the one list, which the
 * gateway's notifier and the answers' schemas both use.
 */
export const NOTIFICATION_KINDS = [
  // The market (6.4.3).
  "match.proposed",
  "match.answered",
  "deal.opened",
  "listing.matched",
  "search.matched",
  "listing.reviewed",
  // The deal's workspace (6.5–6.7).
  "deal.moved",
  "deal.participant",
  "deal.message",
  "deal.negotiation",
  "deal.visit",
  "deal.evaluation",
  "contract.version",
  "contract.signature",
  "contract.signed",
  "royalty.reported",
  // The escrow (6.8).
  "escrow.terms",
  "escrow.signature-requested",
  "delivery.submitted",
  "delivery.changes-requested",
  "delivery.accepted",
  "escrow.milestone",
  "escrow.instruction",
  "escrow.released",
  "escrow.refunded",
  "escrow.split",
  "dispute.opened",
  "dispute.message",
  "dispute.settlement",
  "dispute.escalated",
  "dispute.ruled",
  "dispute.appealed",
  "dispute.finalized",
  // A deadline is near.
  "reminder.deadline",
  // Follow-up after delivery (6.9): a scheduled check-in is due (docs/AFTERCARE.md).
  "followup.checkin.due",
  // Service management: a step of a service order (docs/SERVICES.md).
  "service.order",
] as const;

/** One of {@link NOTIFICATION_KINDS}. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
