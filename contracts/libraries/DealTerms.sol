// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IDealEscrow} from "../interfaces/IDealEscrow.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IAccountRegistry} from "../interfaces/IAccountRegistry.sol";
import {Milestones} from "./Milestones.sol";
import {TypedData} from "./TypedData.sol";

/// @title The terms of a deal: their checks, their EIP-712 hash, and how they are stored
/// @notice Everything the escrow does with the `DealTerms` both parties sign, once per deal.
/// @dev A linked library: its functions are `external`, so it is deployed once on its own and the
/// escrow calls it by `DELEGATECALL` (on its own storage). Creating a deal happens once per deal
/// and costs about two hundred thousand gas, so the call's overhead is small beside it, while the
/// escrow's bytecode loses the decoding, checking and hashing of the terms. The moves of a
/// milestone, which run many times, stay in the escrow itself.
library DealTerms {
    // ─── Types ───────────────────────────────────────────────────────────────

    /// @dev A deal as the escrow stores it.
    struct StoredDeal {
        // slot 0: read by every move
        address supplier;
        uint8 milestoneCount;
        uint32 inspectionPeriod;
        uint32 gracePeriod;
        uint8 maxChangeRounds;
        // slot 1
        address demander;
        uint32 rulingPeriod;
        uint32 appealWindow;
        bytes3 currency;
        // slot 2
        address arbitrator;
        // slot 3
        bytes32 contractDigest;
    }

    /// @dev What the escrow knows that the terms do not say: its EIP-712 domain separator, the
    /// registry its parties must be certified in, and the seconds it spent paused so far (a block
    /// time minus it is clock time).
    struct Context {
        bytes32 domainSeparator;
        IAccountRegistry accounts;
        uint48 pausedSoFar;
    }

    /// @dev A replacement of the deal's arbitrator by `next` on `milestone`, made by `by` (the
    /// arbitration body's key) at escrow-clock time `now_`.
    struct Replacement {
        bytes32 dealId;
        uint8 milestone;
        address next;
        address by;
        uint256 now_;
    }

    // ─── Constants ───────────────────────────────────────────────────────────

    /// @dev Most milestones a deal may have. A milestone's number is a `uint8`; 32 keeps the loop
    /// that stores them, and so the creation's gas, bounded.
    uint256 internal constant MAX_MILESTONES = 32;

    /// @dev EIP-712 type hash of the terms both parties sign (`DealEscrow.TERMS_TYPEHASH`). The type
    /// string is hashed at compile time, never stored.
    // solhint-disable-next-line gas-small-strings
    bytes32 internal constant TYPEHASH = keccak256(
        "DealTerms(bytes32 dealId,address supplier,address demander,address arbitrator,bytes32 contractDigest,"
        "bytes3 currency,uint96[] amounts,uint64[] deadlines,uint32 inspectionPeriod,uint32 gracePeriod,"
        "uint8 maxChangeRounds,uint32 rulingPeriod,uint32 appealWindow)"
    );

    // ─── External ────────────────────────────────────────────────────────────

    /// @notice Creates the deal of `terms` in `deals` and `milestones` once both parties signed them:
    /// every check of {IDealEscrow-createDeal} but the caller's role and the pause, in this order:
    /// the deal's own fields, both signatures, both certifications, then each milestone's amount and
    /// deadline. Returns the EIP-712 digest the parties signed.
    /// @dev Reverts with the {IDealEscrow} errors. Runs by `DELEGATECALL`, so it reads and writes
    /// the escrow's storage and asks the registry as the escrow.
    /// @param context The escrow's domain separator, account registry and time paused so far.
    function create(
        mapping(bytes32 => StoredDeal) storage deals,
        mapping(bytes32 => mapping(uint256 => Milestones.Milestone)) storage milestones,
        IDealEscrow.Terms calldata terms,
        bytes calldata supplierSignature,
        bytes calldata demanderSignature,
        Context calldata context
    ) external returns (bytes32 digest) {
        bytes32 dealId = terms.dealId;
        _check(deals, terms);
        digest = TypedData.digest(context.domainSeparator, _hash(terms));
        _requireSigner(dealId, digest, supplierSignature, terms.supplier);
        _requireSigner(dealId, digest, demanderSignature, terms.demander);
        IAccountRegistry accounts = context.accounts;
        if (!accounts.isCertified(terms.supplier)) revert IDealEscrow.DealEscrowNotCertified(dealId, terms.supplier);
        if (!accounts.isCertified(terms.demander)) revert IDealEscrow.DealEscrowNotCertified(dealId, terms.demander);

        _storeDeal(deals[dealId], terms);
        _storeMilestones(milestones[dealId], terms, context.pausedSoFar);
    }

    /// @notice Replaces the deal's arbitrator by `replacement.next` on a milestone whose ruling period
    /// lapsed: every check of {IDealEscrow-replaceArbitrator} but the mover's role and the pause.
    /// Marks the previous arbitrator replaced, restarts the milestone's ruling period and counts the
    /// move.
    /// @dev Here rather than in the escrow, whose bytecode stays within 75% of the EIP-170 limit:
    /// a replacement is rare, so the `DELEGATECALL` costs little. Reverts with the {IDealEscrow}
    /// errors; emits {IDealEscrow-ArbitratorReplaced}, which, run by `DELEGATECALL`, the escrow logs.
    function replaceArbitrator(
        StoredDeal storage deal,
        mapping(address => bool) storage replaced,
        Milestones.Milestone storage ms,
        Replacement calldata replacement
    ) external {
        (bytes32 dealId, uint8 milestone, address next) = (replacement.dealId, replacement.milestone, replacement.next);
        Milestones.requireState(dealId, milestone, ms.state, IDealEscrow.State.Arbitration);
        Milestones.requireLapsed(dealId, milestone, ms.timer, replacement.now_);
        address previous = deal.arbitrator;
        if (next == address(0) || next == previous || next == deal.supplier || next == deal.demander || replaced[next])
            revert IDealEscrow.DealEscrowInvalidArbitrator(dealId, next);

        replaced[previous] = true;
        deal.arbitrator = next;
        // Cannot overflow 48 bits: the clock is at most block time and the period 32 bits.
        uint48 deadline = uint48(replacement.now_ + deal.rulingPeriod);
        ms.timer = deadline;
        Milestones.useNonce(ms);
        emit IDealEscrow.ArbitratorReplaced(dealId, milestone, previous, next, replacement.by, deadline);
    }

    /// @notice The EIP-712 struct hash of `terms`; arrays hash as the keccak of their 32-byte words.
    function hash(IDealEscrow.Terms calldata terms) external pure returns (bytes32) {
        return _hash(terms);
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    function _check(mapping(bytes32 => StoredDeal) storage deals, IDealEscrow.Terms calldata terms) private view {
        bytes32 dealId = terms.dealId;
        if (dealId == bytes32(0)) revert IDealEscrow.DealEscrowZeroDealId();
        if (deals[dealId].milestoneCount != 0) revert IDealEscrow.DealEscrowDealExists(dealId);
        (address supplier, address demander, address arbitrator) = (terms.supplier, terms.demander, terms.arbitrator);
        if (
            supplier == address(0) ||
            demander == address(0) ||
            arbitrator == address(0) ||
            supplier == demander ||
            arbitrator == supplier ||
            arbitrator == demander
        ) revert IDealEscrow.DealEscrowInvalidParties(dealId, supplier, demander, arbitrator);
        uint256 count = terms.amounts.length;
        if (count == 0 || count > MAX_MILESTONES || count != terms.deadlines.length) {
            revert IDealEscrow.DealEscrowInvalidMilestoneCount(dealId, count, terms.deadlines.length);
        }
        bytes3 currency = terms.currency;
        for (uint256 i; i < 3; ++i) {
            bytes1 letter = currency[i];
            if (letter < "A" || letter > "Z") revert IDealEscrow.DealEscrowInvalidCurrency(dealId, currency);
        }
        if (terms.inspectionPeriod == 0 || terms.rulingPeriod == 0) {
            revert IDealEscrow.DealEscrowInvalidPeriods(dealId, terms.inspectionPeriod, terms.rulingPeriod);
        }
    }

    function _requireSigner(bytes32 dealId, bytes32 digest, bytes calldata signature, address expected) private pure {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (error != ECDSA.RecoverError.NoError) revert IDealEscrow.DealEscrowInvalidSignature(dealId);
        if (signer != expected) revert IDealEscrow.DealEscrowUnauthorized(dealId, signer, expected);
    }

    function _storeDeal(StoredDeal storage deal, IDealEscrow.Terms calldata terms) private {
        deal.supplier = terms.supplier;
        // Cannot truncate: at most MAX_MILESTONES, checked in {_check}.
        deal.milestoneCount = uint8(terms.amounts.length);
        deal.inspectionPeriod = terms.inspectionPeriod;
        deal.gracePeriod = terms.gracePeriod;
        deal.maxChangeRounds = terms.maxChangeRounds;
        deal.demander = terms.demander;
        deal.rulingPeriod = terms.rulingPeriod;
        deal.appealWindow = terms.appealWindow;
        deal.currency = terms.currency;
        deal.arbitrator = terms.arbitrator;
        deal.contractDigest = terms.contractDigest;
    }

    /// @dev Stores each milestone `Pending`, its deadline turned into clock time.
    function _storeMilestones(
        mapping(uint256 => Milestones.Milestone) storage dealMilestones,
        IDealEscrow.Terms calldata terms,
        uint48 pausedSoFar
    ) private {
        bytes32 dealId = terms.dealId;
        uint256 count = terms.amounts.length;
        for (uint256 i; i < count; ++i) {
            uint96 amount = terms.amounts[i];
            uint64 deadline = terms.deadlines[i];
            if (amount == 0) revert IDealEscrow.DealEscrowZeroAmount(dealId, uint8(i));
            // A deadline at or before the current block time has passed already.
            // solhint-disable-next-line gas-strict-inequalities
            if (deadline <= block.timestamp || deadline > type(uint48).max) {
                revert IDealEscrow.DealEscrowInvalidDeadline(dealId, uint8(i), deadline, block.timestamp);
            }
            Milestones.Milestone storage ms = dealMilestones[i];
            ms.amount = amount;
            // Cannot underflow: the paused total is a sum of past intervals, so it is at most
            // block.timestamp, which is below the deadline (checked above).
            unchecked {
                ms.deadline = uint48(deadline) - pausedSoFar;
            }
            ms.state = IDealEscrow.State.Pending;
        }
    }

    function _hash(IDealEscrow.Terms calldata terms) private pure returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        TYPEHASH,
                        terms.dealId,
                        terms.supplier,
                        terms.demander,
                        terms.arbitrator,
                        terms.contractDigest,
                        terms.currency
                    ),
                    abi.encode(
                        keccak256(abi.encodePacked(terms.amounts)),
                        keccak256(abi.encodePacked(terms.deadlines)),
                        terms.inspectionPeriod,
                        terms.gracePeriod,
                        terms.maxChangeRounds,
                        terms.rulingPeriod,
                        terms.appealWindow
                    )
                )
            );
    }
}
