using System.Numerics;
using Microsoft.Data.Sqlite;
using Nethereum.ABI.FunctionEncoding.Attributes;

namespace Koans.Ethereum.Indexer;

/// <summary>
/// ERC-20's <c>event Transfer(address indexed from, address indexed to, uint256 value)</c> as a typed event
/// (ethereum.nethereum-events built this class; here it is given).
/// </summary>
[Event("Transfer")]
public class TransferEventDto : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = "";

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = "";

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}

/// <summary>What the indexer follows, and where it keeps its state.</summary>
/// <param name="Token">The ERC-20 contract whose Transfer events are indexed (0x hex, any case).</param>
/// <param name="StartBlock">The first block to index: the token's deployment block (its mint is a Transfer).</param>
/// <param name="Confirmations">N: a log is final once its block has N confirmations. The head block has 1, its parent 2.</param>
/// <param name="DatabasePath">The SQLite file of <see cref="IndexDatabase"/>; it survives the indexer (a restart opens it again).</param>
public sealed record IndexerOptions(string Token, ulong StartBlock, int Confirmations, string DatabasePath);

/// <summary>The last block the indexer has treated as final: its number and the hash it had then.</summary>
public sealed record IndexCursor(ulong BlockNumber, string BlockHash);

/// <summary>What one poll did.</summary>
/// <param name="Cursor">The cursor after the poll (null while no block is final yet).</param>
/// <param name="TransfersApplied">Transfer logs credited to the balances by this poll.</param>
/// <param name="TransfersRolledBack">Transfer logs taken back from the balances by this poll, because a reorg removed their blocks.</param>
public sealed record PollResult(IndexCursor? Cursor, int TransfersApplied, int TransfersRolledBack);

/// <summary>
/// The indexer's SQLite database: the schema is fixed (the tests read it and inject faults into it), what goes into it
/// and when is the kata.
/// </summary>
public static class IndexDatabase
{
    /// <summary>
    /// <c>blocks</c>: one row per block the indexer has treated as final and still needs to remember, with the hash it
    /// had then; the row with the highest number is the cursor (and there is always one once a block is final).
    /// <c>transfers</c>: every Transfer log credited to the balances, so that a reorg can take it back; addresses
    /// lowercase 0x hex, amounts base-10 text (a uint256 does not fit SQLite's 64-bit INTEGER).
    /// <c>balances</c>: the final balance of each holder, base-10 text; the zero address is not a holder (a mint
    /// comes from it, a burn goes to it).
    /// </summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS blocks (
            number INTEGER PRIMARY KEY,
            hash   TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS transfers (
            block_number INTEGER NOT NULL,
            log_index    INTEGER NOT NULL,
            tx_hash      TEXT NOT NULL,
            sender       TEXT NOT NULL,
            recipient    TEXT NOT NULL,
            amount       TEXT NOT NULL,
            PRIMARY KEY (block_number, log_index)
        );
        CREATE TABLE IF NOT EXISTS balances (
            holder TEXT PRIMARY KEY,
            amount TEXT NOT NULL
        );
        """;

    /// <summary>A connection string for the file at <paramref name="path"/> (created if missing).</summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

    /// <summary>Creates the file at <paramref name="path"/> with <see cref="Schema"/>, or leaves an existing one as it is.</summary>
    public static void Create(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }
}
