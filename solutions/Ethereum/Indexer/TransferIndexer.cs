using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.Indexer;

/// <summary>Reference solution for ethereum.indexer, part 1: eth_getLogs polling over final block ranges, SQLite state.</summary>
public sealed class TransferIndexer
{
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    private readonly Web3 web3;
    private readonly string token;
    private readonly ulong startBlock;
    private readonly ulong confirmations;
    private readonly string connectionString;

    public TransferIndexer(Web3 web3, IndexerOptions options)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Confirmations, 1, nameof(options));
        this.web3 = web3;
        token = options.Token;
        startBlock = options.StartBlock;
        confirmations = (ulong)options.Confirmations;
        connectionString = IndexDatabase.ConnectionString(options.DatabasePath);
        IndexDatabase.Create(options.DatabasePath);
    }

    public async Task<PollResult> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // 1. Is the chain we credited still the chain? The cursor's number always exists; its hash tells.
        //    If not, walk back over the blocks we remember to the newest one the node still has: the fork point.
        var cursor = await ReadCursorAsync(connection, cancellationToken).ConfigureAwait(false);
        var kept = cursor?.BlockNumber;
        var reorged = cursor is not null && !await IsOnChainAsync(cursor).ConfigureAwait(false);
        if (reorged)
        {
            kept = null;
            foreach (var remembered in await ReadBlocksNewestFirstAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                if (await IsOnChainAsync(remembered).ConfigureAwait(false))
                {
                    kept = remembered.BlockNumber;
                    break;
                }
            }
        }

        // 2. What is final now: with the head at H, block b has H - b + 1 confirmations.
        var head = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value;
        var from = kept + 1 ?? startBlock;
        IReadOnlyList<EventLog<TransferEventDto>> logs = [];
        IndexCursor? newCursor = null;
        if (head + 1 >= confirmations && head + 1 - confirmations >= from)
        {
            var finalHead = head + 1 - confirmations;
            var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(finalHead)).ConfigureAwait(false);
            newCursor = new IndexCursor(finalHead, block.BlockHash);
            // The node filters: this token's address (any contract can emit a Transfer) and topic0 (an Approval has the same shape).
            var transfer = web3.Eth.GetEvent<TransferEventDto>(token);
            logs = await transfer.GetAllChangesAsync(transfer.CreateFilterInput(new BlockParameter(from), new BlockParameter(finalHead))).ConfigureAwait(false);
        }

        // 3. One transaction: the rollback, the new transfers, the balances and the cursor are committed together or
        //    not at all, so a crash anywhere leaves the state of the last poll, which the next poll simply repeats.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rolledBack = reorged ? await RollBackAboveAsync(connection, transaction, kept, cancellationToken).ConfigureAwait(false) : 0;
        foreach (var log in logs)
        {
            await ApplyAsync(connection, transaction, log, cancellationToken).ConfigureAwait(false);
        }

        if (newCursor is not null)
        {
            await RememberBlockAsync(connection, transaction, newCursor, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PollResult(await ReadCursorAsync(connection, cancellationToken).ConfigureAwait(false), logs.Count, rolledBack);
    }

    public async Task<BigInteger> BalanceOfAsync(string holder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadBalanceAsync(connection, null, holder.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IndexCursor?> GetCursorAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCursorAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsOnChainAsync(IndexCursor block)
    {
        var onChain = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(block.BlockNumber)).ConfigureAwait(false);
        return string.Equals(onChain?.BlockHash, block.BlockHash, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task<IndexCursor?> ReadCursorAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new IndexCursor((ulong)reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async Task<List<IndexCursor>> ReadBlocksNewestFirstAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, hash FROM blocks ORDER BY number DESC";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var blocks = new List<IndexCursor>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            blocks.Add(new IndexCursor((ulong)reader.GetInt64(0), reader.GetString(1)));
        }

        return blocks;
    }

    /// <summary>Takes back every transfer above <paramref name="kept"/> (all of them when null) and forgets those blocks.</summary>
    private static async Task<int> RollBackAboveAsync(SqliteConnection connection, SqliteTransaction transaction, ulong? kept, CancellationToken cancellationToken)
    {
        var above = kept.HasValue ? (long)kept.Value : -1;
        var undone = new List<(string Sender, string Recipient, BigInteger Amount)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT sender, recipient, amount FROM transfers WHERE block_number > $above";
            select.Parameters.AddWithValue("$above", above);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                undone.Add((reader.GetString(0), reader.GetString(1), BigInteger.Parse(reader.GetString(2), CultureInfo.InvariantCulture)));
            }
        }

        foreach (var (sender, recipient, amount) in undone)
        {
            // The inverse of the transfer: the recipient gives it back to the sender.
            await MoveAsync(connection, transaction, recipient, sender, amount, cancellationToken).ConfigureAwait(false);
        }

        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM transfers WHERE block_number > $above; DELETE FROM blocks WHERE number > $above;";
        delete.Parameters.AddWithValue("$above", above);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return undone.Count;
    }

    private static async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, EventLog<TransferEventDto> log, CancellationToken cancellationToken)
    {
        var sender = log.Event.From.ToLowerInvariant();
        var recipient = log.Event.To.ToLowerInvariant();
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO transfers (block_number, log_index, tx_hash, sender, recipient, amount)
                VALUES ($block, $index, $tx, $sender, $recipient, $amount)
                """;
            insert.Parameters.AddWithValue("$block", (long)log.Log.BlockNumber.Value);
            insert.Parameters.AddWithValue("$index", (long)log.Log.LogIndex.Value);
            insert.Parameters.AddWithValue("$tx", log.Log.TransactionHash);
            insert.Parameters.AddWithValue("$sender", sender);
            insert.Parameters.AddWithValue("$recipient", recipient);
            insert.Parameters.AddWithValue("$amount", log.Event.Value.ToString(CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // The block's hash as the log saw it: what a later poll compares to find a fork below the cursor.
        await RememberBlockAsync(connection, transaction, new IndexCursor((ulong)log.Log.BlockNumber.Value, log.Log.BlockHash), cancellationToken).ConfigureAwait(false);
        await MoveAsync(connection, transaction, sender, recipient, log.Event.Value, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RememberBlockAsync(SqliteConnection connection, SqliteTransaction transaction, IndexCursor block, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO blocks (number, hash) VALUES ($number, $hash) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash";
        command.Parameters.AddWithValue("$number", (long)block.BlockNumber);
        command.Parameters.AddWithValue("$hash", block.BlockHash);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves <paramref name="amount"/> from one holder to another; the zero address (mints, burns) holds nothing.</summary>
    private static async Task MoveAsync(SqliteConnection connection, SqliteTransaction transaction, string from, string to, BigInteger amount, CancellationToken cancellationToken)
    {
        if (from != ZeroAddress)
        {
            await AddAsync(connection, transaction, from, -amount, cancellationToken).ConfigureAwait(false);
        }

        if (to != ZeroAddress)
        {
            await AddAsync(connection, transaction, to, amount, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AddAsync(SqliteConnection connection, SqliteTransaction transaction, string holder, BigInteger delta, CancellationToken cancellationToken)
    {
        var balance = await ReadBalanceAsync(connection, transaction, holder, cancellationToken).ConfigureAwait(false) + delta;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO balances (holder, amount) VALUES ($holder, $amount) ON CONFLICT (holder) DO UPDATE SET amount = excluded.amount";
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$amount", balance.ToString(CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BigInteger> ReadBalanceAsync(SqliteConnection connection, SqliteTransaction? transaction, string holder, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT amount FROM balances WHERE holder = $holder";
        command.Parameters.AddWithValue("$holder", holder);
        var amount = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return amount is string text ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : BigInteger.Zero;
    }
}
