// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IPausableClock} from "./IPausableClock.sol";

/// @title Deal escrow of Tech Transfer Ledger
/// @notice Records, milestone by milestone, what happens to the money of a technology-transfer deal.
/// The money itself never moves on chain: the supervising bank holds it. The escrow records the
/// bank's attestations (deposit locked, release, refund or split executed) and the parties' signed
/// moves, and enforces who may move each milestone and when, so that neither the platform nor the
/// bank nor one party alone can decide where the money goes.
/// @dev Amounts are integers in the minor unit of the deal's ISO 4217 currency (fen for CNY, cents
/// for USD, whole units for JPY); the currency is its three-letter code as `bytes3` ("CNY").
///
/// Times: every period and stored time runs on the escrow clock, `block.timestamp` minus the total
/// time the escrow has spent paused ({clock}). A pause therefore moves every running deadline later
/// by the time it lasted. The delivery deadlines of the signed terms are block times; the escrow
/// converts them to its clock when the deal is created.
///
/// A party moves a milestone either by sending the transaction itself (empty `signature`), or by
/// signing the move as EIP-712 typed data `MilestoneAction` that an account holding the operator
/// role relays. The signature covers the milestone's move counter (`nonce`), which every move
/// increments, so a signature is good for one move from one state and cannot be replayed.
///
/// EIP-712 domain: name "TechTransferLedger DealEscrow", version "1", the chain id and this
/// contract's address. Types:
///
///     DealTerms(bytes32 dealId,address supplier,address demander,address arbitrator,
///       bytes32 contractDigest,bytes3 currency,uint96[] amounts,uint64[] deadlines,
///       uint32 inspectionPeriod,uint32 gracePeriod,uint8 maxChangeRounds,uint32 rulingPeriod,
///       uint32 appealWindow)
///     MilestoneAction(bytes32 dealId,uint8 milestone,uint8 action,bytes32 data,uint96 release,
///       uint96 refund,uint32 nonce)
///
/// (each on one line, without spaces after the commas, as EIP-712 requires.)
interface IDealEscrow is IPausableClock {
    // ─── Types ───────────────────────────────────────────────────────────────

    /// @notice Where a milestone stands. The order matters: {cancelMilestone} accepts `Pending` to
    /// `Ruled`; `Releasing`, `Refunding` and `Splitting` are instructions waiting for the bank;
    /// `Released`, `Refunded`, `Split` and `Cancelled` are final and never move again.
    enum State {
        None, // no such milestone
        Pending, // agreed, waiting for the deposit
        Locked, // the bank locked the amount; waiting for the supplier's (next) delivery
        Delivered, // delivered; the demander's inspection period runs
        Disputed, // a party opened a dispute: timers stopped, the parties may settle
        Arbitration, // escalated to the deal's arbitrator, whose ruling period runs
        Ruled, // the arbitrator ruled; the appeal window runs
        Releasing, // instruction to the bank: pay the whole amount to the supplier
        Refunding, // instruction to the bank: return the whole amount to the demander
        Splitting, // instruction to the bank: pay `release` to the supplier, return `refund` to the demander
        Released, // final: the bank paid the supplier
        Refunded, // final: the bank returned the money to the demander
        Split, // final: the bank executed the split
        Cancelled // final: cancelled by both parties before any money was locked
    }

    /// @notice The move a party (or the arbitrator) signs, as the `action` of a `MilestoneAction`.
    enum Action {
        None,
        Deliver, // supplier; data = delivery digest
        AcceptDelivery, // demander
        RequestChanges, // demander; data = digest of the change request
        OpenDispute, // either party; data = digest of the reasons
        ClaimRefund, // demander
        Cancel, // both parties, one signature each
        ProposeSettlement, // either party; release and refund
        AcceptSettlement, // the other party; release and refund
        Escalate, // either party
        Rule, // arbitrator; data = ruling digest; release and refund
        Appeal, // either party; data = digest of the grounds
        ReplaceArbitrator // the arbitration body; data = the new arbitrator's address, left-padded to 32 bytes
    }

    /// @notice The terms both parties sign (EIP-712 `DealTerms`) and the operator submits.
    /// @param dealId           The platform's id of the deal; never zero, used once.
    /// @param supplier         Signing address of the technology holder, who delivers and is paid.
    /// @param demander         Signing address of the party that pays and inspects.
    /// @param arbitrator       Signing address of the arbitration body named in the contract.
    /// @param contractDigest   Digest of the signed technology contract.
    /// @param currency         ISO 4217 alphabetic code, three capital letters ("CNY").
    /// @param amounts          Amount of each milestone, in minor units; each non-zero.
    /// @param deadlines        Delivery deadline of each milestone, a block time (seconds) in the future.
    /// @param inspectionPeriod Seconds the demander has to inspect a delivery; non-zero.
    /// @param gracePeriod      Seconds after a delivery deadline during which a late delivery is still
    ///                         accepted; also the least time the supplier gets after a change request.
    /// @param maxChangeRounds  How many times the demander may ask for changes on one milestone.
    /// @param rulingPeriod     Seconds the arbitrator has to rule once a dispute is escalated; non-zero.
    /// @param appealWindow     Seconds after a ruling during which a party may appeal; zero makes
    ///                         rulings final at once.
    struct Terms {
        bytes32 dealId;
        address supplier;
        address demander;
        address arbitrator;
        bytes32 contractDigest;
        bytes3 currency;
        uint96[] amounts;
        uint64[] deadlines;
        uint32 inspectionPeriod;
        uint32 gracePeriod;
        uint8 maxChangeRounds;
        uint32 rulingPeriod;
        uint32 appealWindow;
    }

    /// @notice A deal as the escrow keeps it (all zero for an unknown deal).
    struct Deal {
        address supplier;
        address demander;
        address arbitrator;
        bytes32 contractDigest;
        bytes3 currency;
        uint8 milestoneCount;
        uint32 inspectionPeriod;
        uint32 gracePeriod;
        uint8 maxChangeRounds;
        uint32 rulingPeriod;
        uint32 appealWindow;
    }

    /// @notice A milestone as the escrow keeps it (all zero for an unknown milestone).
    /// @param state            Where it stands.
    /// @param amount           The agreed amount, in minor units.
    /// @param locked           What the bank locked: `amount` once the deposit is attested, else 0.
    /// @param released         What the bank confirmed it paid to the supplier.
    /// @param refunded         What the bank confirmed it returned to the demander.
    /// @param deadline         Delivery deadline on the escrow clock (grace period not included);
    ///                         a change request can move it later.
    /// @param timer            End of the running period on the escrow clock, inclusive: inspection
    ///                         (`Delivered`), ruling (`Arbitration`), appeal (`Ruled`); 0 otherwise.
    /// @param changeRounds     Change requests made so far.
    /// @param nonce            Moves made so far; the `nonce` a signature for the next move must carry.
    /// @param release          Release part of the standing proposal, ruling or instruction.
    /// @param refund           Refund part of the standing proposal, ruling or instruction.
    /// @param proposer         Party whose settlement proposal stands; zero when none.
    /// @param appealed         Whether a ruling on this milestone was appealed (only one appeal).
    /// @param instructionFailed Whether the bank reported the standing instruction failed.
    /// @param failures         How many times the bank reported an instruction failed.
    /// @param deliveryDigest   Digest of the latest delivery.
    struct Milestone {
        State state;
        uint96 amount;
        uint96 locked;
        uint96 released;
        uint96 refunded;
        uint48 deadline;
        uint48 timer;
        uint8 changeRounds;
        uint32 nonce;
        uint96 release;
        uint96 refund;
        address proposer;
        bool appealed;
        bool instructionFailed;
        uint32 failures;
        bytes32 deliveryDigest;
    }

    // ─── Events ──────────────────────────────────────────────────────────────

    /// @notice A deal was created from terms both parties signed.
    /// @param termsDigest The EIP-712 digest of the `DealTerms` both parties signed.
    event DealCreated(
        bytes32 indexed dealId,
        address indexed supplier,
        address indexed demander,
        address arbitrator,
        bytes32 contractDigest,
        bytes3 currency,
        uint8 milestoneCount,
        bytes32 termsDigest
    );

    /// @notice The bank attested a deposit and locked the milestone's amount.
    /// @param amount   What is locked (the milestone's amount).
    /// @param excess   What the bank received above the amount; not locked, the bank returns it to the payer.
    /// @param bankRef  The bank's reference of the deposit.
    event DepositLocked(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        uint96 amount,
        uint256 excess,
        bytes32 bankRef
    );

    /// @notice The supplier delivered; the inspection period runs until `inspectionEnds` (escrow clock).
    /// @param round The delivery's change round: 0 for the first delivery, n after the n-th change request.
    event DeliverySubmitted(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        bytes32 deliveryDigest,
        uint8 round,
        uint48 inspectionEnds
    );

    /// @notice The demander accepted the delivery.
    event DeliveryAccepted(bytes32 indexed dealId, uint8 indexed milestone);

    /// @notice The demander asked for changes; the supplier delivers again by `deadline` plus the grace period.
    event ChangesRequested(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        uint8 round,
        bytes32 requestDigest,
        uint48 deadline
    );

    /// @notice The inspection period lapsed without objection, and someone triggered the release.
    event InspectionLapsed(bytes32 indexed dealId, uint8 indexed milestone, address by);

    /// @notice The supplier did not deliver by the deadline plus the grace period; the demander claimed the refund.
    event RefundClaimed(bytes32 indexed dealId, uint8 indexed milestone);

    /// @notice Both parties cancelled the milestone; `refundDue` when money was locked (the bank returns it).
    event MilestoneCancelled(bytes32 indexed dealId, uint8 indexed milestone, bool refundDue);

    /// @notice A party opened a dispute; the milestone is frozen.
    event DisputeOpened(bytes32 indexed dealId, uint8 indexed milestone, address indexed by, bytes32 reasonDigest);

    /// @notice A party proposed to settle the dispute by a split; it replaces any earlier proposal.
    event SettlementProposed(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        address indexed by,
        uint96 release,
        uint96 refund
    );

    /// @notice The other party accepted the standing proposal.
    event SettlementAccepted(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        address indexed by,
        uint96 release,
        uint96 refund
    );

    /// @notice A party escalated the dispute to the arbitrator, who must rule by `rulingDeadline` (escrow clock).
    event DisputeEscalated(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        address indexed by,
        address arbitrator,
        uint48 rulingDeadline
    );

    /// @notice The arbitrator ruled a split. `appealEnds` is the end of the appeal window (escrow clock),
    /// or 0 when the ruling is final at once (no appeal window, or a ruling on appeal).
    event RulingIssued(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        uint96 release,
        uint96 refund,
        bytes32 rulingDigest,
        uint48 appealEnds
    );

    /// @notice A party appealed the ruling; the arbitrator must rule again, finally, by `rulingDeadline`.
    event RulingAppealed(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        address indexed by,
        bytes32 groundsDigest,
        uint48 rulingDeadline
    );

    /// @notice The appeal window lapsed without appeal; the ruling is final.
    event RulingFinalized(bytes32 indexed dealId, uint8 indexed milestone);

    /// @notice The arbitration body replaced the deal's arbitrator, who let the ruling period of
    /// `milestone` lapse; `next` must rule by `rulingDeadline` (escrow clock). `previous` can no
    /// longer rule on any milestone of the deal.
    /// @param by The account holding `ARBITRATION_ROLE` that made the replacement (sender or signer).
    event ArbitratorReplaced(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        address indexed previous,
        address next,
        address by,
        uint48 rulingDeadline
    );

    /// @notice An instruction for the bank: `kind` is `Releasing`, `Refunding` or `Splitting`.
    event InstructionIssued(bytes32 indexed dealId, uint8 indexed milestone, State kind, uint96 release, uint96 refund);

    /// @notice The bank reported that it could not execute the instruction; the money stays locked.
    /// @param reason   ISO 20022 status reason code (four characters, e.g. "AC04").
    /// @param failures Failures reported on this milestone so far.
    event InstructionFailed(bytes32 indexed dealId, uint8 indexed milestone, bytes4 reason, uint32 failures);

    /// @notice The operator issued the failed instruction again, unchanged; `attempt` counts from 1.
    event InstructionReissued(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        State kind,
        uint96 release,
        uint96 refund,
        uint32 attempt
    );

    /// @notice The bank confirmed it paid the whole amount to the supplier. Final.
    event MilestoneReleased(bytes32 indexed dealId, uint8 indexed milestone, uint96 amount, bytes32 bankRef);

    /// @notice The bank confirmed it returned the whole amount to the demander. Final.
    event MilestoneRefunded(bytes32 indexed dealId, uint8 indexed milestone, uint96 amount, bytes32 bankRef);

    /// @notice The bank confirmed it executed the split. Final.
    event MilestoneSplit(
        bytes32 indexed dealId,
        uint8 indexed milestone,
        uint96 released,
        uint96 refunded,
        bytes32 bankRef
    );

    // ─── Errors ──────────────────────────────────────────────────────────────

    /// @notice The constructor needs a non-zero admin, account registry and bank.
    error DealEscrowZeroAddress();

    /// @notice The deal id zero is the marker of "no deal".
    error DealEscrowZeroDealId();

    /// @notice A deal with this id exists already.
    error DealEscrowDealExists(bytes32 dealId);

    /// @notice No deal has this id.
    error DealEscrowUnknownDeal(bytes32 dealId);

    /// @notice The deal has only `milestoneCount` milestones, numbered from 0.
    error DealEscrowUnknownMilestone(bytes32 dealId, uint8 milestone, uint8 milestoneCount);

    /// @notice Supplier, demander and arbitrator must be three distinct non-zero addresses.
    error DealEscrowInvalidParties(bytes32 dealId, address supplier, address demander, address arbitrator);

    /// @notice Amounts and deadlines must be two lists of the same length, from 1 to `MAX_MILESTONES`.
    error DealEscrowInvalidMilestoneCount(bytes32 dealId, uint256 amounts, uint256 deadlines);

    /// @notice A milestone's amount cannot be zero.
    error DealEscrowZeroAmount(bytes32 dealId, uint8 milestone);

    /// @notice A delivery deadline must be after the current block time `blockTime` and fit in 48 bits.
    error DealEscrowInvalidDeadline(bytes32 dealId, uint8 milestone, uint64 deadline, uint256 blockTime);

    /// @notice The currency must be an ISO 4217 alphabetic code: three capital letters.
    error DealEscrowInvalidCurrency(bytes32 dealId, bytes3 currency);

    /// @notice The inspection period and the ruling period cannot be zero.
    error DealEscrowInvalidPeriods(bytes32 dealId, uint32 inspectionPeriod, uint32 rulingPeriod);

    /// @notice `account` is not a certified account in the account registry.
    error DealEscrowNotCertified(bytes32 dealId, address account);

    /// @notice A signature could not be read (not 65 bytes, or not a valid secp256k1 signature).
    error DealEscrowInvalidSignature(bytes32 dealId);

    /// @notice `account` (the sender, or the signer of a relayed signature) may not make this move;
    /// `expected` may.
    error DealEscrowUnauthorized(bytes32 dealId, address account, address expected);

    /// @notice `account` (the sender, or the signer of a relayed signature) is not a party of the deal.
    error DealEscrowNotParty(bytes32 dealId, address account);

    /// @notice The milestone is in state `current`, from which this move is not possible.
    error DealEscrowInvalidState(bytes32 dealId, uint8 milestone, State current);

    /// @notice The move is possible only once the escrow clock is past `opensAfter`; it reads `clock`.
    error DealEscrowTooEarly(bytes32 dealId, uint8 milestone, uint256 opensAfter, uint256 clock);

    /// @notice The move was possible only until `closedAfter` on the escrow clock; it reads `clock`.
    error DealEscrowTooLate(bytes32 dealId, uint8 milestone, uint256 closedAfter, uint256 clock);

    /// @notice The bank attested a deposit in `attested`, not in the deal's currency `expected`.
    error DealEscrowCurrencyMismatch(bytes32 dealId, bytes3 expected, bytes3 attested);

    /// @notice The bank attested `deposited`, less than the milestone's `amount`; nothing is locked.
    error DealEscrowDepositTooSmall(bytes32 dealId, uint8 milestone, uint96 amount, uint256 deposited);

    /// @notice A delivery digest, ruling digest or bank reference cannot be zero.
    error DealEscrowZeroReference(bytes32 dealId, uint8 milestone);

    /// @notice The demander already used the `maxChangeRounds` change requests the terms allow.
    error DealEscrowChangeRoundsExhausted(bytes32 dealId, uint8 milestone, uint8 maxChangeRounds);

    /// @notice `release` plus `refund` must equal the `locked` amount exactly.
    error DealEscrowSplitMismatch(bytes32 dealId, uint8 milestone, uint96 locked, uint96 release, uint96 refund);

    /// @notice There is no settlement proposal to accept.
    error DealEscrowNoProposal(bytes32 dealId, uint8 milestone);

    /// @notice The acceptance names `release`, but the standing proposal releases `proposedRelease`.
    error DealEscrowProposalMismatch(bytes32 dealId, uint8 milestone, uint96 proposedRelease, uint96 release);

    /// @notice The bank confirmed other amounts than the instruction's `release` and `refund`.
    error DealEscrowInstructionMismatch(bytes32 dealId, uint8 milestone, uint96 release, uint96 refund);

    /// @notice The standing instruction was reported failed; the operator must reissue it first.
    error DealEscrowInstructionFailed(bytes32 dealId, uint8 milestone);

    /// @notice Only an instruction reported failed can be reissued.
    error DealEscrowInstructionNotFailed(bytes32 dealId, uint8 milestone);

    /// @notice `account` was the deal's arbitrator until the arbitration body replaced it by `current`;
    /// it can no longer rule.
    error DealEscrowArbitratorReplaced(bytes32 dealId, address account, address current);

    /// @notice A new arbitrator must be non-zero, neither party, and neither the current arbitrator nor
    /// one replaced on this deal before.
    error DealEscrowInvalidArbitrator(bytes32 dealId, address arbitrator);

    // ─── Writes: creation and deposit ────────────────────────────────────────

    /// @notice Creates a deal from terms both parties signed, with every milestone `Pending`.
    /// @dev Requirements:
    /// - the caller holds `OPERATOR_ROLE`; the escrow is not paused;
    /// - `terms.dealId` is not zero and not used;
    /// - supplier, demander and arbitrator are distinct and non-zero;
    /// - 1 to `MAX_MILESTONES` milestones, as many amounts as deadlines, each amount non-zero, each
    ///   deadline in the future;
    /// - the currency is three capital letters; inspection and ruling periods are non-zero;
    /// - `supplierSignature` and `demanderSignature` are the parties' EIP-712 signatures of `terms`;
    /// - both parties are certified in the account registry.
    ///
    /// Emits a {DealCreated} event.
    function createDeal(
        Terms calldata terms,
        bytes calldata supplierSignature,
        bytes calldata demanderSignature
    ) external;

    /// @notice The bank attests a deposit of `deposited` minor units in `currency` for the milestone,
    /// and locks the milestone's amount. Whatever is above the amount is excess that the bank returns;
    /// a deposit below the amount is refused (the bank keeps partial payments until they add up).
    /// @dev Requirements: the caller holds `BANK_ROLE`; not paused; the milestone is `Pending`;
    /// `currency` is the deal's; `bankRef` is not zero; `deposited` is at least the amount.
    ///
    /// Emits a {DepositLocked} event.
    function lockDeposit(bytes32 dealId, uint8 milestone, bytes3 currency, uint256 deposited, bytes32 bankRef) external;

    // ─── Writes: delivery and inspection ─────────────────────────────────────

    /// @notice The supplier delivers: `deliveryDigest` is the digest of the encrypted materials.
    /// Starts the inspection period.
    /// @dev Requirements: not paused; the supplier moves (sender or relayed `Deliver` signature);
    /// the milestone is `Locked`; the escrow clock is not past its deadline plus the grace period;
    /// `deliveryDigest` is not zero.
    ///
    /// Emits a {DeliverySubmitted} event.
    function deliver(bytes32 dealId, uint8 milestone, bytes32 deliveryDigest, bytes calldata signature) external;

    /// @notice The demander accepts the delivery: the whole amount is to be released.
    /// @dev Requirements: not paused; the demander moves (`AcceptDelivery`); the milestone is
    /// `Delivered` (also after the inspection period lapsed).
    ///
    /// Emits {DeliveryAccepted} and {InstructionIssued} (`Releasing`) events.
    function acceptDelivery(bytes32 dealId, uint8 milestone, bytes calldata signature) external;

    /// @notice The demander asks for changes; the milestone goes back to `Locked` for the supplier to
    /// deliver again. The supplier gets at least the grace period from now: the deadline becomes the
    /// later of the current deadline and now.
    /// @dev Requirements: not paused; the demander moves (`RequestChanges`, data = `requestDigest`);
    /// the milestone is `Delivered` within its inspection period; fewer than `maxChangeRounds`
    /// change requests were made.
    ///
    /// Emits a {ChangesRequested} event.
    function requestChanges(bytes32 dealId, uint8 milestone, bytes32 requestDigest, bytes calldata signature) external;

    /// @notice Anyone triggers the release once the inspection period lapsed without objection.
    /// @dev Requirements: not paused; the milestone is `Delivered`; the escrow clock is past its timer.
    ///
    /// Emits {InspectionLapsed} and {InstructionIssued} (`Releasing`) events.
    function releaseAfterInspection(bytes32 dealId, uint8 milestone) external;

    /// @notice The demander claims the refund of a milestone the supplier did not deliver in time.
    /// @dev Requirements: not paused; the demander moves (`ClaimRefund`); the milestone is `Locked`;
    /// the escrow clock is past its deadline plus the grace period.
    ///
    /// Emits {RefundClaimed} and {InstructionIssued} (`Refunding`) events.
    function claimRefund(bytes32 dealId, uint8 milestone, bytes calldata signature) external;

    /// @notice Both parties cancel the milestone. Unfunded, it is `Cancelled`; funded, the whole
    /// locked amount is to be refunded.
    /// @dev Each signature is the party's `Cancel` signature, or empty when that party is the sender.
    /// A signature is accepted from the operator, or from the other party (so the parties can cancel
    /// without the platform).
    ///
    /// Requirements: not paused; both parties sign; the milestone is `Pending` to `Ruled`.
    ///
    /// Emits a {MilestoneCancelled} event, and an {InstructionIssued} (`Refunding`) event when money was locked.
    function cancelMilestone(
        bytes32 dealId,
        uint8 milestone,
        bytes calldata supplierSignature,
        bytes calldata demanderSignature
    ) external;

    // ─── Writes: disputes ────────────────────────────────────────────────────

    /// @notice A party opens a dispute: the milestone freezes, its delivery and inspection timers stop
    /// for good, and only a settlement, a ruling or a cancellation ends it.
    /// @dev Requirements: not paused; a party moves (`OpenDispute`, data = `reasonDigest`); the
    /// milestone is `Locked`, or `Delivered` within its inspection period.
    ///
    /// Emits a {DisputeOpened} event.
    function openDispute(bytes32 dealId, uint8 milestone, bytes32 reasonDigest, bytes calldata signature) external;

    /// @notice A party proposes to settle by paying `release` to the supplier and returning `refund`
    /// to the demander. Replaces any standing proposal.
    /// @dev Requirements: not paused; a party moves (`ProposeSettlement`); the milestone is
    /// `Disputed` or `Arbitration`; `release + refund` equals the locked amount.
    ///
    /// Emits a {SettlementProposed} event.
    function proposeSettlement(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes calldata signature
    ) external;

    /// @notice The other party accepts the standing proposal, naming its split again.
    /// @dev Requirements: not paused; a party moves (`AcceptSettlement`); the milestone is `Disputed`
    /// or `Arbitration`; the split adds up; a proposal stands, by the other party, with this split.
    ///
    /// Emits {SettlementAccepted} and {InstructionIssued} (`Splitting`) events.
    function acceptSettlement(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes calldata signature
    ) external;

    /// @notice A party escalates the dispute to the deal's arbitrator, whose ruling period starts.
    /// Also chases an arbitrator that let the ruling period lapse: the period starts again.
    /// @dev Requirements: not paused; a party moves (`Escalate`); the milestone is `Disputed`, or in
    /// `Arbitration` with the escrow clock past the ruling deadline.
    ///
    /// Emits a {DisputeEscalated} event.
    function escalate(bytes32 dealId, uint8 milestone, bytes calldata signature) external;

    /// @notice The arbitrator rules an exact split. With an appeal window, the milestone waits in
    /// `Ruled` for it to lapse; a ruling on appeal, or with no appeal window, is final at once.
    /// @dev Requirements: not paused; the deal's current arbitrator moves (`Rule`, data =
    /// `rulingDigest`; one the arbitration body replaced is refused with {DealEscrowArbitratorReplaced});
    /// the milestone is in `Arbitration` within the ruling period; `release + refund` equals the
    /// locked amount; `rulingDigest` is not zero.
    ///
    /// Emits a {RulingIssued} event, and {InstructionIssued} (`Splitting`) when the ruling is final.
    function rule(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes32 rulingDigest,
        bytes calldata signature
    ) external;

    /// @notice A party appeals the ruling within the appeal window: the ruling is set aside and the
    /// arbitrator (the arbitration body, e.g. by a review panel) must rule again within a new ruling
    /// period. That second ruling is final. One appeal per milestone.
    /// @dev Requirements: not paused; a party moves (`Appeal`, data = `groundsDigest`); the milestone
    /// is `Ruled` within its appeal window.
    ///
    /// Emits a {RulingAppealed} event.
    function appeal(bytes32 dealId, uint8 milestone, bytes32 groundsDigest, bytes calldata signature) external;

    /// @notice The arbitration body replaces the deal's arbitrator, who let the ruling period of
    /// `milestone` lapse without ruling: `next` becomes the deal's arbitrator for every milestone, the
    /// ruling period of `milestone` starts again for `next`, and the replaced arbitrator's rulings are
    /// refused from then on ({DealEscrowArbitratorReplaced}). A party may still chase the same
    /// arbitrator instead ({escalate}); the arbitration body decides when one is stranded.
    /// @dev The arbitration body is the arbitration institution's key holding `ARBITRATION_ROLE`, a role
    /// that administers itself (the platform's admin cannot grant it). It sends the call, or signs
    /// `ReplaceArbitrator` (data = `next` left-padded to 32 bytes) for the operator to relay.
    ///
    /// Requirements: not paused; the mover holds `ARBITRATION_ROLE`; the milestone is in
    /// `Arbitration` with the escrow clock past its ruling deadline; `next` is non-zero, neither
    /// party, not the current arbitrator, and not one replaced on this deal before.
    ///
    /// Emits an {ArbitratorReplaced} event.
    function replaceArbitrator(bytes32 dealId, uint8 milestone, address next, bytes calldata signature) external;

    /// @notice Anyone makes a ruling final once its appeal window lapsed without appeal.
    /// @dev Requirements: not paused; the milestone is `Ruled`; the escrow clock is past the window.
    ///
    /// Emits {RulingFinalized} and {InstructionIssued} (`Splitting`) events.
    function finalizeRuling(bytes32 dealId, uint8 milestone) external;

    // ─── Writes: the bank executes ───────────────────────────────────────────

    /// @notice The bank confirms it executed the standing instruction: paid `release` to the supplier
    /// and returned `refund` to the demander. The milestone is final.
    /// @dev Requirements: the caller holds `BANK_ROLE`; not paused; the milestone is `Releasing`,
    /// `Refunding` or `Splitting`, not reported failed; the amounts are the instruction's; `bankRef`
    /// is not zero.
    ///
    /// Emits a {MilestoneReleased}, {MilestoneRefunded} or {MilestoneSplit} event.
    function confirmInstruction(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes32 bankRef
    ) external;

    /// @notice The bank reports that it could not execute the standing instruction. Nothing moved:
    /// the money stays locked and the instruction stands, waiting to be reissued.
    /// @dev Requirements: the caller holds `BANK_ROLE`; not paused; the milestone is `Releasing`,
    /// `Refunding` or `Splitting`, not already reported failed.
    ///
    /// Emits an {InstructionFailed} event.
    function reportInstructionFailed(bytes32 dealId, uint8 milestone, bytes4 reason) external;

    /// @notice The operator issues a failed instruction again, unchanged (once the cause, a wrong
    /// payee account say, is fixed off chain).
    /// @dev Requirements: the caller holds `OPERATOR_ROLE`; not paused; the standing instruction was
    /// reported failed.
    ///
    /// Emits an {InstructionReissued} event.
    function reissueInstruction(bytes32 dealId, uint8 milestone) external;

    // ─── Reads ───────────────────────────────────────────────────────────────

    /// @notice The deal `dealId`; all zero when unknown.
    function dealOf(bytes32 dealId) external view returns (Deal memory);

    /// @notice Milestone `milestone` of `dealId`; all zero (state `None`) when unknown.
    function milestoneOf(bytes32 dealId, uint8 milestone) external view returns (Milestone memory);

    /// @notice Most milestones a deal may have; the SDK exports the same number as `MAX_MILESTONES`.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_MILESTONES() external view returns (uint256);

    /// @notice The EIP-712 digest the parties sign for `terms`.
    function hashTerms(Terms calldata terms) external view returns (bytes32);

    /// @notice The EIP-712 digest of a `MilestoneAction`.
    function hashAction(
        bytes32 dealId,
        uint8 milestone,
        Action action,
        bytes32 data,
        uint96 release,
        uint96 refund,
        uint32 nonce
    ) external view returns (bytes32);

    /// @notice The account registry whose certified accounts may be parties.
    function accountRegistry() external view returns (address);

    /// @notice Semantic version of this contract; the SDK refuses versions it does not know.
    function version() external pure returns (string memory);
}
