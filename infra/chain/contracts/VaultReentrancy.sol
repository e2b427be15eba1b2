// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title EtherVault: a shared ether vault with the DAO's bug, written for the Koans kata ethereum.reentrancy.
/// @notice withdraw() sends the caller's balance BEFORE it zeroes it. The ether transfer runs the receiver's code
/// (its receive function), which can call withdraw() again while the vault still shows the old balance.
/// Do not copy this contract: it exists to be drained.
contract EtherVault {
    mapping(address => uint256) public balanceOf;

    event Deposited(address indexed from, uint256 amount);
    event Withdrawn(address indexed to, uint256 amount);

    error NothingToWithdraw(address caller);
    error TransferFailed(address to, uint256 amount);

    function deposit() external payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw() external {
        uint256 amount = balanceOf[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        // Interaction first: the receiver runs here, and balanceOf[msg.sender] is still `amount`.
        (bool sent, ) = payable(msg.sender).call{value: amount}("");
        if (!sent) revert TransferFailed(msg.sender, amount);
        // Effect last: too late.
        balanceOf[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
    }
}

/// @title CeiVault: EtherVault fixed by checks-effects-interactions alone.
/// @notice The balance is zeroed before the ether leaves, so a re-entered withdraw() sees nothing to withdraw.
contract CeiVault {
    mapping(address => uint256) public balanceOf;

    event Deposited(address indexed from, uint256 amount);
    event Withdrawn(address indexed to, uint256 amount);

    error NothingToWithdraw(address caller);
    error TransferFailed(address to, uint256 amount);

    function deposit() external payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw() external {
        uint256 amount = balanceOf[msg.sender];              // checks
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        balanceOf[msg.sender] = 0;                            // effects
        emit Withdrawn(msg.sender, amount);
        (bool sent, ) = payable(msg.sender).call{value: amount}(""); // interactions
        if (!sent) revert TransferFailed(msg.sender, amount);
    }
}

/// @title GuardedVault: EtherVault fixed by a reentrancy guard alone (the order of withdraw() is still EtherVault's).
/// @notice The lock lives in transient storage (EIP-1153, like OpenZeppelin's ReentrancyGuardTransient): any call
/// back into a guarded function while one runs reverts with Reentered().
contract GuardedVault {
    mapping(address => uint256) public balanceOf;
    bool private transient entered;

    event Deposited(address indexed from, uint256 amount);
    event Withdrawn(address indexed to, uint256 amount);

    error NothingToWithdraw(address caller);
    error TransferFailed(address to, uint256 amount);
    error Reentered();

    modifier nonReentrant() {
        if (entered) revert Reentered();
        entered = true;
        _;
        entered = false;
    }

    function deposit() external payable nonReentrant {
        balanceOf[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw() external nonReentrant {
        uint256 amount = balanceOf[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        (bool sent, ) = payable(msg.sender).call{value: amount}("");
        if (!sent) revert TransferFailed(msg.sender, amount);
        balanceOf[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
    }
}

/// @title Reenterer: a programmable attacker contract for the kata ethereum.reentrancy.
/// @notice It knows no vault and no attack: its owner makes it call any contract (run), and arms it to make one
/// given call a given number of times from inside its receive function, each time ether arrives. Choosing the calls,
/// their order and the count is the attack.
contract Reenterer {
    address public immutable owner;
    address public target;
    bytes public reentryCall;
    uint256 public reentriesLeft;
    uint256 public reentries;

    error NotOwner(address caller);
    error CallFailed(address target, bytes reason);
    error SweepFailed(address to, uint256 amount);

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// Makes receive() call target with data, `times` times in all (one per incoming payment), then stop.
    function arm(address target_, bytes calldata data, uint256 times) external onlyOwner {
        target = target_;
        reentryCall = data;
        reentriesLeft = times;
    }

    /// Calls target_ with data, forwarding msg.value; a failed call reverts with CallFailed and the callee's revert data.
    function run(address target_, bytes calldata data) external payable onlyOwner returns (bytes memory result) {
        bool ok;
        (ok, result) = target_.call{value: msg.value}(data);
        if (!ok) revert CallFailed(target_, result);
    }

    /// Sends all ether this contract holds to `to`.
    function sweep(address payable to) external onlyOwner {
        uint256 amount = address(this).balance;
        (bool sent, ) = to.call{value: amount}("");
        if (!sent) revert SweepFailed(to, amount);
    }

    receive() external payable {
        if (reentriesLeft == 0) return;
        reentriesLeft -= 1;
        reentries += 1;
        (bool ok, bytes memory reason) = target.call(reentryCall);
        if (!ok) revert CallFailed(target, reason);
    }
}
