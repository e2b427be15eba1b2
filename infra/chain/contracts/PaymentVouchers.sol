// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title VoucherVault: pays whoever brings a payment voucher its issuer signed (EIP-712), written for the Koans kata
/// ethereum.permit-replay.
/// @notice Three mistakes, all seen in production: the signed struct has no nonce and no deadline, so a voucher pays
/// again every time it is shown; the domain has only a name and a version (no chainId, no verifyingContract), so a
/// voucher made for this vault is just as good at every other vault of the same issuer, on any chain; and the
/// signature goes to the bare ecrecover precompile, which also accepts the high-s twin of every signature.
/// Do not copy this contract: it exists to be replayed.
contract VoucherVault {
    // keccak256("EIP712Domain(string name,string version)")
    bytes32 private constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version)");
    bytes32 public constant PAYMENT_TYPEHASH = keccak256("Payment(address payee,uint256 amount)");

    address public immutable issuer;
    bytes32 public immutable DOMAIN_SEPARATOR;

    event Redeemed(address indexed payee, uint256 amount);

    error BadSignature(address recovered);
    error TransferFailed(address to, uint256 amount);

    /// The deployer is the issuer; whatever is sent with the deployment (or later, to receive) funds the vouchers.
    constructor() payable {
        issuer = msg.sender;
        DOMAIN_SEPARATOR = keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("Koans Voucher Vault"), keccak256("1")));
    }

    receive() external payable {}

    /// The EIP-712 digest the issuer signs for a payment of `amount` wei to `payee`.
    function digestOf(address payee, uint256 amount) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(PAYMENT_TYPEHASH, payee, amount));
        return keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR, structHash));
    }

    /// Pays `amount` to `payee` if `signature` (65 bytes: r, s, v with v = 27 or 28) is the issuer's over digestOf.
    function redeem(address payee, uint256 amount, bytes calldata signature) external {
        if (signature.length != 65) revert BadSignature(address(0));
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        address signer = ecrecover(digestOf(payee, amount), v, r, s);
        if (signer == address(0) || signer != issuer) revert BadSignature(signer);
        (bool sent, ) = payable(payee).call{value: amount}("");
        if (!sent) revert TransferFailed(payee, amount);
        emit Redeemed(payee, amount);
    }
}

/// @title PermitVault: VoucherVault fixed, the way ERC-2612 permits are built (OpenZeppelin's EIP712, Nonces, ECDSA).
/// @notice The signed struct carries the issuer's next nonce (each one spent once, in order) and a deadline; the
/// domain separator binds the chain id and this vault's address (EIP712), so a permit is good once, until its
/// deadline, on one chain, at one vault; ECDSA.recover refuses high-s signatures and malformed ones.
contract PermitVault is EIP712, Nonces {
    bytes32 public constant PAYMENT_TYPEHASH =
        keccak256("Payment(address payee,uint256 amount,uint256 nonce,uint256 deadline)");

    address public immutable issuer;

    event Redeemed(address indexed payee, uint256 amount, uint256 nonce);

    error ExpiredPayment(uint256 deadline, uint256 timestamp);
    error WrongSigner(address recovered);
    error TransferFailed(address to, uint256 amount);

    constructor() payable EIP712("Koans Permit Vault", "1") {
        issuer = msg.sender;
    }

    receive() external payable {}

    /// The EIP-712 domain separator: name, version, chainId and this contract's address.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// The EIP-712 digest the issuer signs for a payment.
    function digestOf(address payee, uint256 amount, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(PAYMENT_TYPEHASH, payee, amount, nonce, deadline)));
    }

    /// Pays `amount` to `payee` if `signature` is the issuer's over the payment with the issuer's current nonce,
    /// before `deadline` (a unix time, inclusive). Spends the nonce.
    function redeem(address payee, uint256 amount, uint256 nonce, uint256 deadline, bytes calldata signature) external {
        if (block.timestamp > deadline) revert ExpiredPayment(deadline, block.timestamp);
        _useCheckedNonce(issuer, nonce);
        address signer = ECDSA.recover(digestOf(payee, amount, nonce, deadline), signature);
        if (signer != issuer) revert WrongSigner(signer);
        (bool sent, ) = payable(payee).call{value: amount}("");
        if (!sent) revert TransferFailed(payee, amount);
        emit Redeemed(payee, amount, nonce);
    }
}
