// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Account registry of Tech Transfer Ledger
/// @notice The on-chain list of the platform's certified accounts: the signing addresses of
/// users whose real-name certification the platform accepted. Contracts of the platform (the
/// deal escrow) accept only listed addresses as parties.
/// @dev The platform's gateway keeps the list in step with the certification decisions taken
/// off chain. An account is listed for one user, named by `userRef`: an opaque 32-byte
/// reference to the platform user that carries no personal data. A user may hold several
/// accounts; an account belongs to at most one user at a time.
interface IAccountRegistry {
    // ─── Events ──────────────────────────────────────────────────────────────

    /// @notice An account was listed as certified.
    /// @param account The certified signing address.
    /// @param userRef The platform user it was certified for.
    event AccountCertified(address indexed account, bytes32 indexed userRef);

    /// @notice An account was removed from the list.
    /// @param account The address that is no longer certified.
    /// @param userRef The platform user it had been certified for.
    event AccountRevoked(address indexed account, bytes32 indexed userRef);

    // ─── Errors ──────────────────────────────────────────────────────────────

    /// @notice The zero address cannot be certified.
    error AccountRegistryZeroAddress();

    /// @notice `account` cannot be certified for the zero user reference (it is the marker of "not certified").
    error AccountRegistryZeroUserRef(address account);

    /// @notice `account` is already certified, for the user `userRef`.
    error AccountRegistryAlreadyCertified(address account, bytes32 userRef);

    /// @notice `account` is not certified.
    error AccountRegistryNotCertified(address account);

    // ─── Writes ──────────────────────────────────────────────────────────────

    /// @notice Lists `account` as certified for the platform user `userRef`.
    /// @dev An account that was revoked may be certified again, for the same or another user.
    /// To move a certified account to another user, revoke it first.
    ///
    /// Requirements:
    /// - the caller holds `REGISTRAR_ROLE`;
    /// - the registry is not paused;
    /// - `account` is not the zero address;
    /// - `userRef` is not zero;
    /// - `account` is not currently certified.
    ///
    /// Emits an {AccountCertified} event.
    function certify(address account, bytes32 userRef) external;

    /// @notice Removes `account` from the list: the user was suspended, rotated the key, or lost
    /// the certification.
    /// @dev Requirements:
    /// - the caller holds `REGISTRAR_ROLE`;
    /// - the registry is not paused;
    /// - `account` is currently certified.
    ///
    /// Emits an {AccountRevoked} event with the user reference the account had.
    function revoke(address account) external;

    // ─── Reads ───────────────────────────────────────────────────────────────

    /// @notice Whether `account` is certified now.
    function isCertified(address account) external view returns (bool);

    /// @notice The platform user `account` is certified for; zero when it is not certified.
    function userOf(address account) external view returns (bytes32);

    /// @notice How many accounts are certified now.
    function certifiedCount() external view returns (uint256);

    /// @notice Semantic version of this contract; the SDK refuses versions it does not know.
    function version() external pure returns (string memory);
}
