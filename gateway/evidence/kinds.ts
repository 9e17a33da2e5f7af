/**
 * The kinds of evidence records the platform writes, one per workflow step of
 * the standard (clause numbers in the descriptions). A kind not listed here is
 * refused, so that every record in the store means something an arbitrator can
 * look up. Later services add their steps here.
 */
export const EVIDENCE_KINDS = {
  "evidence.attested": "A document or statement recorded as evidence by a platform service",
  "service.key.changed": "A service credential (bearer token or signing key) was issued or revoked",
  "user.registered": "6.2 An account was registered",
  "user.certification.submitted": "6.2 Real-name certification details were submitted",
  "user.certification.decided": "6.2 A reviewer approved or rejected a certification",
  "user.key.registered": "6.2 A signing address or encryption recipient was registered or rotated",
  "user.role.changed": "6.2 A role was granted or revoked",
  "user.status.changed": "6.2 An account was suspended or reinstated",
  "listing.submitted": "6.3 A supply or demand listing (or a new version) was submitted",
  "listing.reviewed": "6.3.3 A listing was approved or rejected",
  "listing.withdrawn": "6.3 A listing was withdrawn",
  "listing.access.granted": "6.3.2 The owner granted a counterpart access to listing details",
  "listing.import.batch":
    "6.3.3 A batch of listings imported by the operator for a user, with the reviewer's signature pre-approving it",
  "market.rates.set": "6.4.1 The administrator set the exchange rates that price fit converts currencies with",
  "match.recorded": "6.4.1 A match was proposed online or recorded offline by a broker",
  "match.answered": "6.4.2 A side confirmed or declined a match",
  "deal.opened":
    "6.4.2 A deal was opened: both sides confirmed a match, an auction or sealed bidding was won, or a listed price accepted",
  "deal.moved": "6.5–6.10 A deal moved in its state machine (docs/DEAL.md): who, from where, to where",
  "deal.participant.changed":
    "6.5–6.6 A broker or manager was nominated, appointed or assigned, or an evaluator engaged, for a deal",
  "search.saved": "6.4.3 A user saved a search to be told of new listings that fit",
  "trade.opened": "An auction or a sealed bidding was opened on a supply listing",
  "trade.bid": "Auction bid, sealed-bid commitment or reveal",
  "trade.outcome": "Result of an auction or a sealed bidding",
  "negotiation.recorded":
    "6.5 A negotiation thread, message, session request, minutes, a party's signature of them, or the signed minutes",
  "investigation.recorded": "6.6 A site visit, a party's confirmation of it, or an evaluation report",
  "contract.drafted":
    "6.7 A technology contract was drafted from a template, a new version made (with what changed), or a version signed by a party",
  "contract.signed": "6.7 Both parties signed a technology contract",
  "royalty.reported": "6.8 A licensee's royalty statement for a period under a royalty contract (Civil Code art. 846)",
  "escrow.terms.proposed":
    "6.8.1 A party proposed the escrow terms of a deal (milestones, periods, arbitrator, contract)",
  "escrow.terms.signed": "6.8.1 A party signed the escrow terms (EIP-712)",
  "escrow.move": "6.8 A party's or the arbitrator's signed move on a milestone, relayed to the escrow",
  "escrow.delivery.uploaded":
    "6.8.2 The supplier streamed in a delivery file, an age file checked to be encrypted to the contract's recipients",
  "escrow.event":
    "6.8.1 An event of the escrow contract: deal created, deposit locked, instruction, release, refund, split",
  "bank.report": "6.8.1 The supervising bank reported a deposit or the status of an instruction",
  "delivery.recorded": "6.8.2 Materials were delivered, accepted or objected to",
  "dispute.recorded": "A dispute was opened, negotiated, escalated or ruled",
  "followup.recorded": "6.9 A follow-up request, answer or check-in",
  "archive.recorded": "6.10 A summary, evaluation or archive of a deal",
  "improvement.recorded": "6.11 A rating, complaint or improvement action",
  "service.offering.recorded":
    "Service management: a service institution submitted or withdrew an offering, or a reviewer checked one of its qualifications",
  "service.order.recorded":
    "Service management: a service was ordered, accepted or declined, delivered, reviewed, rated, or reassigned by the operator",
  "risk.alert.raised": "Risk control: a rule raised an alert, with the records and facts it read (docs/RISK.md)",
  "risk.alert.decided": "Risk control: staff accepted or dismissed an alert, with the reason",
  "risk.approval.granted": "Risk control: a manager approved a large deal before its escrow terms",
  "risk.blacklist.changed": "Risk control: the operator added or removed a blacklist entry, with the reason",
  "risk.bank-account.declared":
    "Risk control: a party declared the bank account it is paid to (digest and last digits)",
  "risk.identifier.seen":
    "Risk control: a device, signing key or bank account (its digest) was first seen behind an account",
  "risk.rules.reloaded": "Risk control: the operator reloaded the rules file (its SHA-256)",
} as const;

export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

export const EVIDENCE_KIND_NAMES = Object.keys(EVIDENCE_KINDS) as [EvidenceKind, ...EvidenceKind[]];

export function isEvidenceKind(kind: string): kind is EvidenceKind {
  return Object.hasOwn(EVIDENCE_KINDS, kind);
}
