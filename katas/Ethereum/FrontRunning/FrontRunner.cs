using Nethereum.Web3;

namespace Koans.Ethereum.FrontRunning;

/// <summary>
/// Kata ethereum.front-running: watch the pending pool, copy a puzzle's answer out of a victim's transaction, pay a
/// higher tip to be mined first, and see commit-reveal make the copy worthless.
/// </summary>
/// <remarks>
/// <para>The targets are in infra/chain/contracts/HashPuzzle.sol. <c>HashPuzzle</c> pays its whole balance to the first
/// caller of <c>solve(string answer)</c> whose answer hashes (keccak256) to <c>answerHash</c>; a later solver is refused
/// with <c>AlreadySolved(address)</c>. <c>CommitRevealPuzzle</c> pays the first <c>reveal(string answer, bytes32 salt)</c>
/// whose sender committed, in an earlier block, <c>commit(bytes32)</c> of the matching commitment
/// (<see cref="Commitment"/>); otherwise <c>NotCommitted</c>, <c>RevealTooEarly</c> or <c>CommitmentMismatch</c>.</para>
/// <para>The node does not mine on its own in these tests: sent transactions wait in its pending pool until the test
/// mines a block, and the block builder takes them highest tip first (EIP-1559 priority fee). Every transaction is sent
/// from the account of <see cref="Web3"/>, the bot. The plumbing (signing, nonces, RPC, ABI decoding) is Nethereum's.</para>
/// </remarks>
public sealed class FrontRunner(IWeb3 web3)
{
    /// <summary>The bot's connection: its account signs and pays for the front-running transaction and takes the prize.</summary>
    public IWeb3 Web3 { get; } = web3;

    /// <summary>
    /// The first transaction waiting in the node's pending pool that calls <c>solve(string)</c> or
    /// <c>reveal(string,bytes32)</c> on <paramref name="puzzle"/>, decoded; null when there is none. Transactions to other
    /// addresses, and other calls to the puzzle, are not solutions.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="puzzle"/> is null or blank.</exception>
    public Task<PendingSolution?> FindPendingSolutionAsync(string puzzle, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Sends <paramref name="victim"/>'s calldata to <paramref name="puzzle"/> from the bot's account, as an EIP-1559
    /// transaction that the block builder will take before the victim's: a priority fee strictly above the victim's, and
    /// a max fee raised by as much. Returns the transaction's hash without waiting for a block (none comes until the test
    /// mines one).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="puzzle"/> is null or blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="victim"/> is null.</exception>
    /// <exception cref="FrontRunRefusedException">The copy would revert against the latest state (the node refused
    /// it at its gas estimate): nothing was sent.</exception>
    public Task<string> OutbidAsync(string puzzle, PendingSolution victim, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The commitment an honest solver sends to <c>CommitRevealPuzzle.commit</c> before revealing: the keccak256 of the
    /// ABI encoding (not the packed one) of <c>(string answer, address solver, bytes32 salt)</c>, the same bytes as the
    /// contract's <c>commitmentOf</c>. It hides the answer (the salt stops anyone from hashing guesses) and binds it to
    /// the solver's address (a copied commitment is worthless to anyone else).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="answer"/> or <paramref name="salt"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="salt"/> is not 32 bytes.</exception>
    public static byte[] Commitment(string answer, string solver, byte[] salt) =>
        throw new NotImplementedException();
}
