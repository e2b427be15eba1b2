// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title WalletLogic: the implementation behind WalletProxy, written for the Koans kata ethereum.proxy-takeover.
/// @notice An initializer instead of a constructor: a proxy runs this code against its own storage through
/// delegatecall, and a constructor would only ever set the implementation's own storage. Whoever calls initialize()
/// first owns the storage it runs against: the proxy's when called through a proxy, the implementation's when called on
/// the implementation directly. Nothing here stops either (the Parity multisig library, November 2017).
contract WalletLogic {
    bool public initialized;
    address public owner;

    event Initialized(address indexed owner);
    event Withdrawn(address indexed to, uint256 amount);

    error AlreadyInitialized();
    error NotOwner(address caller);
    error TransferFailed(address to, uint256 amount);

    function initialize(address owner_) external {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        owner = owner_;
        emit Initialized(owner_);
    }

    function withdraw(address payable to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        emit Withdrawn(to, amount);
        (bool sent, ) = to.call{value: amount}("");
        if (!sent) revert TransferFailed(to, amount);
    }

    receive() external payable {}
}

/// @title LockedWalletLogic: WalletLogic whose constructor locks the implementation's own initializer
/// (OpenZeppelin's `_disableInitializers()` in the implementation's constructor). Proxies are unaffected: their
/// storage is their own, and the constructor never ran against it.
contract LockedWalletLogic {
    bool public initialized;
    address public owner;

    event Initialized(address indexed owner);
    event Withdrawn(address indexed to, uint256 amount);

    error AlreadyInitialized();
    error NotOwner(address caller);
    error TransferFailed(address to, uint256 amount);

    constructor() {
        initialized = true;
    }

    function initialize(address owner_) external {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        owner = owner_;
        emit Initialized(owner_);
    }

    function withdraw(address payable to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        emit Withdrawn(to, amount);
        (bool sent, ) = to.call{value: amount}("");
        if (!sent) revert TransferFailed(to, amount);
    }

    receive() external payable {}
}

/// @title WalletProxy: a minimal EIP-1967 proxy. Every call runs the implementation's code on the proxy's storage.
/// @notice The implementation's address is at the EIP-1967 slot, keccak256("eip1967.proxy.implementation") - 1, so it
/// never collides with the implementation's own variables. `initData`, when not empty, is delegatecalled in the
/// constructor: deploy and initialize in one transaction (as OpenZeppelin's ERC1967Proxy does). Deployed with empty
/// `initData`, the proxy waits, uninitialized, for whoever calls initialize() first.
contract WalletProxy {
    bytes32 private constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    error InitializationFailed(bytes reason);

    constructor(address implementation, bytes memory initData) payable {
        assembly {
            sstore(IMPLEMENTATION_SLOT, implementation)
        }
        if (initData.length > 0) {
            (bool ok, bytes memory reason) = implementation.delegatecall(initData);
            if (!ok) revert InitializationFailed(reason);
        }
    }

    fallback() external payable {
        _delegate();
    }

    receive() external payable {
        _delegate();
    }

    function _delegate() private {
        assembly {
            let implementation := sload(IMPLEMENTATION_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), implementation, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
