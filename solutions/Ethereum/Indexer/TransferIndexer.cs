using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
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
    private readonly long confirmations;
    private readonly string connectionString;

    public TransferIndexer(Web3 web3, IndexerOptions options)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Confirmations, 1, nameof(options));
        this.web3 = web3;
        token = options.Token;
        startBlock = options.StartBlock;
        confirmations = options.Confirmations;
        connectionString = IndexDatabase.ConnectionString(options.DatabasePath);
        IndexDatabase.Create(options.DatabasePath);
    }

    public async Task<PollResult> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // 1. Which of the blocks we credited is the newest one the chain still has? Its number alone proves nothing
        //    (a reorg replaces blocks at the same heights): its hash does. Normally that is the cursor itself; after a
        //    reorg it is the fork point. Every block below a block still on the chain is on it too (each hash commits
        //    to its parent), so the blocks we remember (the cursor and every block we credited a transfer in) suffice.
        var kept = (long)startBlock - 1;
        await foreach (var remembered in ReadBlocksNewestFirstAsync(connection, cancellationToken))
        {
            if (await IsOnChainAsync(remembered))
            {
                kept = (long)remembered.BlockNumber;
                break;
            }
        }

        // 2. What is final now: with the head at H, block b has H - b + 1 confirmations.
        var head = (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var from = kept + 1;
        var finalHead = head + 1 - confirmations;
        IReadOnlyList<EventLog<TransferEventDto>> logs = [];
        IndexCursor? newCursor = null;
        if (finalHead >= from)
        {
            var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter((ulong)finalHead));
            newCursor = new IndexCursor((ulong)finalHead, block.BlockHash);
            // The node filters: this token's address (any contract can emit a Transfer) and topic0 (an Approval has the same shape).
            var transfer = web3.Eth.GetEvent<TransferEventDto>(token);
            logs = await transfer.GetAllChangesAsync(transfer.CreateFilterInput(new BlockParameter((ulong)from), new BlockParameter((ulong)finalHead)));
        }

        // 3. One transaction: the rollback, the new transfers, the balances and the cursor are committed together or
        //    not at all, so a crash anywhere leaves the state of the last poll, which the next poll simply repeats.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // Without a reorg nothing was credited above the cursor, and this takes back nothing.
        var rolledBack = await RollBackAboveAsync(connection, transaction, kept, cancellationToken);
        foreach (var log in logs)
        {
            await ApplyAsync(connection, transaction, log, cancellationToken);
        }

        if (newCursor is not null)
        {
            await RememberBlockAsync(connection, transaction, newCursor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PollResult(await ReadCursorAsync(connection, cancellationToken), logs.Count, rolledBack);
    }

    public async Task<BigInteger> BalanceOfAsync(string holder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadBalanceAsync(connection, null, holder.ToLowerInvariant(), cancellationToken);
    }

    public async Task<IndexCursor?> GetCursorAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadCursorAsync(connection, cancellationToken);
    }

    private async Task<bool> IsOnChainAsync(IndexCursor block)
    {
        var onChain = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(block.BlockNumber));
        return string.Equals(onChain?.BlockHash, block.BlockHash, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<IndexCursor?> ReadCursorAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new IndexCursor((ulong)reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async IAsyncEnumerable<IndexCursor> ReadBlocksNewestFirstAsync(SqliteConnection connection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, hash FROM blocks ORDER BY number DESC";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new IndexCursor((ulong)reader.GetInt64(0), reader.GetString(1));
        }
    }

    /// <summary>Takes back every transfer above block <paramref name="kept"/> and forgets those blocks.</summary>
    private static async Task<int> RollBackAboveAsync(SqliteConnection connection, SqliteTransaction transaction, long kept, CancellationToken cancellationToken)
    {
        var undone = new List<(string Sender, string Recipient, BigInteger Amount)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT sender, recipient, amount FROM transfers WHERE block_number > $above";
            select.Parameters.AddWithValue("$above", kept);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                undone.Add((reader.GetString(0), reader.GetString(1), BigInteger.Parse(reader.GetString(2), CultureInfo.InvariantCulture)));
            }
        }

        foreach (var (sender, recipient, amount) in undone)
        {
            // The inverse of the transfer: the recipient gives it back to the sender.
            await MoveAsync(connection, transaction, recipient, sender, amount, cancellationToken);
        }

        using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM transfers WHERE block_number > $above; DELETE FROM blocks WHERE number > $above;";
        delete.Parameters.AddWithValue("$above", kept);
        await delete.ExecuteNonQueryAsync(cancellationToken);
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
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // The block's hash as the log saw it: what a later poll compares to find a fork below the cursor.
        await RememberBlockAsync(connection, transaction, new IndexCursor((ulong)log.Log.BlockNumber.Value, log.Log.BlockHash), cancellationToken);
        await MoveAsync(connection, transaction, sender, recipient, log.Event.Value, cancellationToken);
    }

    private static async Task RememberBlockAsync(SqliteConnection connection, SqliteTransaction transaction, IndexCursor block, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO blocks (number, hash) VALUES ($number, $hash) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash";
        command.Parameters.AddWithValue("$number", (long)block.BlockNumber);
        command.Parameters.AddWithValue("$hash", block.BlockHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Moves <paramref name="amount"/> from one holder to another; the zero address (mints, burns) holds nothing.</summary>
    private static async Task MoveAsync(SqliteConnection connection, SqliteTransaction transaction, string from, string to, BigInteger amount, CancellationToken cancellationToken)
    {
        if (from != ZeroAddress)
        {
            await AddAsync(connection, transaction, from, -amount, cancellationToken);
        }

        if (to != ZeroAddress)
        {
            await AddAsync(connection, transaction, to, amount, cancellationToken);
        }
    }

    private static async Task AddAsync(SqliteConnection connection, SqliteTransaction transaction, string holder, BigInteger delta, CancellationToken cancellationToken)
    {
        var balance = await ReadBalanceAsync(connection, transaction, holder, cancellationToken) + delta;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO balances (holder, amount) VALUES ($holder, $amount) ON CONFLICT (holder) DO UPDATE SET amount = excluded.amount";
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$amount", balance.ToString(CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<BigInteger> ReadBalanceAsync(SqliteConnection connection, SqliteTransaction? transaction, string holder, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT amount FROM balances WHERE holder = $holder";
        command.Parameters.AddWithValue("$holder", holder);
        var amount = await command.ExecuteScalarAsync(cancellationToken);
        return amount is string text ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : BigInteger.Zero;
    }
}
