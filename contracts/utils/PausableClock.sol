// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IPausableClock} from "../interfaces/IPausableClock.sol";

/// @title Pausable, with a clock that stops while paused
/// @notice OpenZeppelin's {Pausable} plus a clock that reads block time minus the time spent paused,
/// so that deadlines kept on this clock move later by the length of every pause.
/// @dev A derived contract keeps every period and deadline on {_clock}, exposes `pause` and `unpause`
/// behind its own access control, and calls {_pause} and {_unpause} from them.
///
/// The two times sit right after {Pausable}'s flag and share its slot, so a move that checks
/// `whenNotPaused` and reads the clock loads one slot for both.
abstract contract PausableClock is IPausableClock, Pausable {
    // ─── Storage ─────────────────────────────────────────────────────────────

    /// @dev Block time the running pause began; 0 when not paused.
    uint48 private _pausedAt;

    /// @dev Seconds spent in pauses that ended.
    uint48 private _pausedTotal;

    // ─── External reads ──────────────────────────────────────────────────────

    /// @inheritdoc IPausableClock
    function clock() external view returns (uint48) {
        // Cannot truncate: the clock is at most block time, which fits 48 bits for millions of years.
        return uint48(_clock());
    }

    /// @inheritdoc IPausableClock
    function pausedTotal() external view returns (uint48) {
        return _pausedTotal;
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    /// @dev The clock: block time minus time paused; it stands still during a pause.
    function _clock() internal view returns (uint256) {
        uint256 pausedAt = _pausedAt;
        // Cannot underflow: the paused total sums intervals that ended before now and before the
        // running pause began (pausedAt), so it is at most either.
        unchecked {
            return (pausedAt != 0 ? pausedAt : block.timestamp) - _pausedTotal;
        }
    }

    /// @dev Seconds spent in pauses that ended, to turn a block time into a clock time.
    function _pausedSoFar() internal view returns (uint48) {
        return _pausedTotal;
    }

    /// @dev Pauses and stops the clock. Emits a {Paused} event.
    function _pause() internal virtual override {
        super._pause();
        _pausedAt = uint48(block.timestamp);
    }

    /// @dev Resumes and restarts the clock where it stopped. Emits {Unpaused} and {DeadlinesExtended} events.
    function _unpause() internal virtual override {
        super._unpause();
        uint48 pausedFor = uint48(block.timestamp) - _pausedAt;
        uint48 total = _pausedTotal + pausedFor;
        _pausedTotal = total;
        _pausedAt = 0;
        emit DeadlinesExtended(pausedFor, total);
    }
}
