using System.Numerics;
using Nethereum.Web3;

namespace Koans.Ethereum.Indexer;

/// <summary>
/// Kata ethereum.indexer, part 1: the backend of a DApp that shows token balances. It follows one ERC-20 token's
/// Transfer events on a live chain and keeps a balance table in SQLite (<see cref="IndexDatabase"/>), the way a
/// deposit service, a block explorer or The Graph does.
/// </summary>
/// <remarks>
/// What it must get right, each of which real indexers and exchanges have got wrong:
/// <list type="bullet">
/// <item><b>Follow the chain.</b> Each <see cref="PollOnceAsync"/> indexes every block that has become final since the
/// last poll, and no block twice: a log is credited exactly once, a poll with nothing new changes nothing. Only the
/// token's own Transfer events count (any contract can emit a log that looks like one; an Approval has the same
/// shape). The tests drive the polls: nothing here waits on a clock.</item>
/// <item><b>Confirmations.</b> A log is credited once its block has <see cref="IndexerOptions.Confirmations"/>
/// confirmations (the head block has 1), never before: blocks near the head can still be replaced.</item>
/// <item><b>Reorgs.</b> N confirmations make a reorg of a credited block unlikely, not impossible. When the chain
/// the indexer credited has been replaced (the node may give the new blocks the same numbers as the old ones), the
/// transfers of the replaced blocks are taken back and the new blocks indexed, and only those: transfers in blocks
/// the reorg kept stay as they are (re-indexing a year of history on every reorg is not an option).</item>
/// <item><b>Restarts and crashes.</b> The cursor lives in the database, not in memory: a new indexer on the same file
/// goes on where the last one stopped, missing nothing that was mined while it was down and repeating nothing. A
/// poll that fails part way (the process dies, the disk is full, the node goes away) leaves the database exactly as
/// it was before the poll: never some logs of a block without the others, never balances without the cursor that
/// says they are there, or the other way round.</item>
/// </list>
/// </remarks>
public sealed class TransferIndexer
{
    /// <summary>
    /// An indexer of <paramref name="options"/>' token over <paramref name="web3"/>. Creates the database if it does not
    /// exist yet, and otherwise resumes from it.
    /// </summary>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one confirmation: a log in a block that is not mined
    /// yet cannot be final.</exception>
    public TransferIndexer(Web3 web3, IndexerOptions options) => throw new NotImplementedException();

    /// <summary>
    /// One step of the indexer: look at the chain as it is now, take back what a reorg removed, credit what has
    /// become final, and save the result together with the new cursor.
    /// </summary>
    /// <returns>The cursor after the poll and the number of transfers this poll credited and took back.</returns>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The database refused a write: the poll changed nothing.</exception>
    public Task<PollResult> PollOnceAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The final balance of <paramref name="holder"/> (0x hex, any case) as indexed so far; zero for an unknown holder.</summary>
    /// <exception cref="ArgumentException">A null or blank holder.</exception>
    public Task<BigInteger> BalanceOfAsync(string holder, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The cursor as stored in the database, or null before any block is final.</summary>
    public Task<IndexCursor?> GetCursorAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
