// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IAccountRegistry} from "./interfaces/IAccountRegistry.sol";

/// @title AccountRegistry
/// @notice Lists the certified accounts of the platform: the signing addresses of real-name
/// certified users, each with an opaque reference to its user.
/// @dev Uses no chain-specific feature and no value transfer, so it runs on any EVM chain,
/// including permissioned ones at gas price zero. Compiled for `paris`.
/// A non-zero `userRef` is the mark of a listed account, so listing and unlisting write one
/// slot each, besides the counter.
contract AccountRegistry is IAccountRegistry, AccessControl, Pausable {
    // ─── Constants ───────────────────────────────────────────────────────────

    /// @notice Role of the accounts (the gateway's registrar keys) allowed to certify and revoke accounts.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @notice Role of the accounts allowed to pause and unpause the registry.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    // ─── Storage ─────────────────────────────────────────────────────────────

    mapping(address account => bytes32 userRef) private _userOf;

    uint256 private _certifiedCount;

    // ─── Constructor ─────────────────────────────────────────────────────────

    /// @param admin     Account that administers roles (the platform operator's governance key).
    /// @param registrar First account allowed to certify and revoke (the gateway's key); may be zero.
    constructor(address admin, address registrar) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        if (registrar != address(0)) _grantRole(REGISTRAR_ROLE, registrar);
    }

    // ─── External writes ─────────────────────────────────────────────────────

    /// @inheritdoc IAccountRegistry
    function certify(address account, bytes32 userRef) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        if (account == address(0)) revert AccountRegistryZeroAddress();
        if (userRef == bytes32(0)) revert AccountRegistryZeroUserRef(account);
        bytes32 current = _userOf[account];
        if (current != bytes32(0)) revert AccountRegistryAlreadyCertified(account, current);

        _userOf[account] = userRef;
        // Cannot overflow: each increment lists a distinct, unlisted address, so the count
        // never exceeds the number of addresses (2**160).
        unchecked {
            ++_certifiedCount;
        }
        emit AccountCertified(account, userRef);
    }

    /// @inheritdoc IAccountRegistry
    function revoke(address account) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        bytes32 userRef = _userOf[account];
        if (userRef == bytes32(0)) revert AccountRegistryNotCertified(account);

        delete _userOf[account];
        // Cannot underflow: `account` was listed, so it is counted in `_certifiedCount`, which is at least 1.
        unchecked {
            --_certifiedCount;
        }
        emit AccountRevoked(account, userRef);
    }

    /// @notice Stops certifying and revoking, for an emergency (a leaked registrar key, say).
    /// @dev Requirements: the caller holds `PAUSER_ROLE`. Emits a {Paused} event.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes certifying and revoking.
    /// @dev Requirements: the caller holds `PAUSER_ROLE`. Emits an {Unpaused} event.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ─── External reads ──────────────────────────────────────────────────────

    /// @inheritdoc IAccountRegistry
    function isCertified(address account) external view returns (bool) {
        return _userOf[account] != bytes32(0);
    }

    /// @inheritdoc IAccountRegistry
    function userOf(address account) external view returns (bytes32) {
        return _userOf[account];
    }

    /// @inheritdoc IAccountRegistry
    function certifiedCount() external view returns (uint256) {
        return _certifiedCount;
    }

    /// @inheritdoc IAccountRegistry
    function version() external pure returns (string memory) {
        return "1.0.0";
    }
}
