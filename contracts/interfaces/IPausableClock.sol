// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title A clock that stops while the contract is paused
/// @notice Every period of a contract with this clock (a delivery deadline, an inspection period, a
/// ruling period) runs on it, so an emergency pause takes no time from anyone: when the contract
/// resumes, every running deadline has moved later by the time the pause lasted.
interface IPausableClock {
    /// @notice The contract was unpaused after `pausedFor` seconds; every running deadline moved later
    /// by as much. `pausedTotal` is the time paused since deployment.
    event DeadlinesExtended(uint48 pausedFor, uint48 pausedTotal);

    /// @notice The clock: block time minus the time spent paused (stopped while paused).
    function clock() external view returns (uint48);

    /// @notice Seconds spent paused since deployment (not counting a pause still running).
    function pausedTotal() external view returns (uint48);
}
