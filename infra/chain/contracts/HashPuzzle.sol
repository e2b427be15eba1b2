// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title HashPuzzle: the first to submit a preimage of answerHash wins the prize, written for the Koans kata
/// ethereum.front-running.
/// @notice The answer travels in the clear in solve()'s calldata and sits in the public mempool until a block includes
/// it: anyone watching can copy it and pay a higher priority fee to be included first.
/// Do not copy this contract: it exists to be front-run.
contract HashPuzzle {
    bytes32 public immutable answerHash;
    address public winner;

    event Solved(address indexed winner, string answer, uint256 prize);

    error AlreadySolved(address winner);
    error WrongAnswer();
    error TransferFailed(address to, uint256 amount);

    constructor(bytes32 answerHash_) payable {
        answerHash = answerHash_;
    }

    function solve(string calldata answer) external {
        if (winner != address(0)) revert AlreadySolved(winner);
        if (keccak256(bytes(answer)) != answerHash) revert WrongAnswer();
        winner = msg.sender;
        uint256 prize = address(this).balance;
        (bool sent, ) = payable(msg.sender).call{value: prize}("");
        if (!sent) revert TransferFailed(msg.sender, prize);
        emit Solved(msg.sender, answer, prize);
    }
}

/// @title CommitRevealPuzzle: HashPuzzle fixed by commit-reveal.
/// @notice A solver first commits keccak256(abi.encode(answer, solver, salt)), which reveals nothing and is bound to
/// the solver's address; only in a later block may it reveal(answer, salt). A copied reveal has no commitment behind
/// it, a copied commitment does not match the copier's address, and a fresh commitment cannot be revealed in the block
/// the victim's reveal is in.
contract CommitRevealPuzzle {
    bytes32 public immutable answerHash;
    address public winner;
    mapping(address => bytes32) public commitments;
    mapping(address => uint256) public committedAt;

    event Committed(address indexed solver, bytes32 commitment);
    event Solved(address indexed winner, string answer, uint256 prize);

    error AlreadySolved(address winner);
    error NotCommitted(address solver);
    error RevealTooEarly(uint256 committedAt);
    error CommitmentMismatch(address solver);
    error WrongAnswer();
    error TransferFailed(address to, uint256 amount);

    constructor(bytes32 answerHash_) payable {
        answerHash = answerHash_;
    }

    /// The commitment a solver sends: keccak256(abi.encode(answer, solver, salt)).
    function commitmentOf(string calldata answer, address solver, bytes32 salt) public pure returns (bytes32) {
        return keccak256(abi.encode(answer, solver, salt));
    }

    function commit(bytes32 commitment) external {
        if (winner != address(0)) revert AlreadySolved(winner);
        commitments[msg.sender] = commitment;
        committedAt[msg.sender] = block.number;
        emit Committed(msg.sender, commitment);
    }

    function reveal(string calldata answer, bytes32 salt) external {
        if (winner != address(0)) revert AlreadySolved(winner);
        uint256 at = committedAt[msg.sender];
        if (at == 0) revert NotCommitted(msg.sender);
        if (block.number <= at) revert RevealTooEarly(at);
        if (commitmentOf(answer, msg.sender, salt) != commitments[msg.sender]) revert CommitmentMismatch(msg.sender);
        if (keccak256(bytes(answer)) != answerHash) revert WrongAnswer();
        winner = msg.sender;
        uint256 prize = address(this).balance;
        (bool sent, ) = payable(msg.sender).call{value: prize}("");
        if (!sent) revert TransferFailed(msg.sender, prize);
        emit Solved(msg.sender, answer, prize);
    }
}
