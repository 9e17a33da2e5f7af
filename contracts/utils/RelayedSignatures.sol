// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {TypedData} from "../libraries/TypedData.sol";

/// @title Signatures that someone else relays: an EIP-712 domain and signer recovery
/// @notice The EIP-712 domain of the contract (name, version, chain id, address; IERC5267), the
/// digest of a struct hash in it, and the recovery of the account that signed a digest.
/// @dev The same as OpenZeppelin's `EIP712` for this purpose, which does not compile for `paris` in
/// OpenZeppelin 5.7 (see {TypedData}); the domain separator is cached as OpenZeppelin does, and
/// rebuilt on a fork. A derived contract names its domain ({_domainName}, {_domainVersion}).
///
/// Replay: the struct a party signs must carry something that changes once the signature is used.
/// For the escrow, that is the milestone's move counter (`Milestones.Milestone.nonce`), kept in the
/// milestone's own storage slot beside its state: a separate nonce table would cost every move a
/// storage write of its own.
abstract contract RelayedSignatures is IERC5267 {
    // ─── Storage ─────────────────────────────────────────────────────────────

    bytes32 private immutable _CACHED_DOMAIN_SEPARATOR;
    uint256 private immutable _CACHED_CHAIN_ID;

    // ─── Constructor ─────────────────────────────────────────────────────────

    constructor() {
        _CACHED_CHAIN_ID = block.chainid;
        _CACHED_DOMAIN_SEPARATOR = _buildDomainSeparator();
    }

    // ─── External reads ──────────────────────────────────────────────────────

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version_,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _domainName(), _domainVersion(), block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    /// @dev The domain's name, e.g. "TechTransferLedger DealEscrow".
    function _domainName() internal pure virtual returns (string memory);

    /// @dev The domain's version, e.g. "1".
    function _domainVersion() internal pure virtual returns (string memory);

    /// @dev The EIP-712 domain separator of this contract on this chain.
    function _domainSeparator() internal view returns (bytes32) {
        return block.chainid == _CACHED_CHAIN_ID ? _CACHED_DOMAIN_SEPARATOR : _buildDomainSeparator();
    }

    /// @dev The EIP-712 digest of `structHash` in this contract's domain.
    function _hashTypedData(bytes32 structHash) internal view returns (bytes32) {
        return TypedData.digest(_domainSeparator(), structHash);
    }

    /// @dev Who signed `digest`; `valid` is false when the signature cannot be read (not 65 bytes, or
    /// not a valid secp256k1 signature), and the derived contract reverts with its own error.
    function _tryRecover(bytes32 digest, bytes calldata signature) internal pure returns (address signer, bool valid) {
        ECDSA.RecoverError error;
        (signer, error, ) = ECDSA.tryRecoverCalldata(digest, signature);
        valid = error == ECDSA.RecoverError.NoError;
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return
            TypedData.domainSeparator(
                keccak256(bytes(_domainName())),
                keccak256(bytes(_domainVersion())),
                address(this)
            );
    }
}
