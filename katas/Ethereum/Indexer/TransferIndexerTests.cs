using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Koans.Testing.Chain;
using Microsoft.Data.Sqlite;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert, evm_setAutomine and anvil_reorg are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.Indexer;

/// <summary>
/// Test plumbing shared by both test classes (provided): a node with Anvil's cheat methods, a temp directory, and the
/// token used through its ABI JSON with Anvil's unlocked accounts (eth_sendTransaction), never through the learner's code.
/// Automine is off: every block is mined explicitly (evm_mine, anvil_mine), so each test knows what is in which block.
/// </summary>
public abstract class IndexerChainTest(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/KoansToken.sol, compiled to infra/chain/artifacts/KoansToken.json.
    protected static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    protected static readonly BigInteger Supply = 1_000_000 * BigInteger.Pow(10, 18);
    protected const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("koans-indexer-");

    // anvil_reorg and evm_setAutomine are Anvil's: the kata skips on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string Deployer => AnvilAccounts.Addresses[0];

    protected string DatabasePath => Path.Combine(temp.FullName, "index.sqlite");

    protected Web3 Web3 => new(Chain.RpcUrl.ToString());

    protected static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Chain.RpcAsync("evm_setAutomine", false);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (Chain.UnavailableReason is null && Chain.SupportsCheats)
            {
                await Chain.RpcAsync("evm_setAutomine", true);
            }
        }
        finally
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            temp.Delete(recursive: true);
        }
    }

    /// <summary>Deploys a KoansToken (the mint is its constructor's Transfer); returns its address and block.</summary>
    protected async Task<(string Address, ulong Block)> DeployTokenAsync()
    {
        var data = Web3.Eth.DeployContract.GetData("0x" + Convert.ToHexStringLower(Token.Bytecode), Token.Abi.GetRawText(), "Koans Token", "KOAN", Supply);
        var receipt = await MinedReceiptAsync(await SendTransactionAsync(new { from = Deployer, data, gas = "0x2dc6c0" }));
        return (receipt.GetProperty("contractAddress").GetString()!, Quantity(receipt.GetProperty("blockNumber")));
    }

    protected string TransferData(string token, string to, BigInteger value) =>
        Web3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction("transfer").GetData(to, value);

    /// <summary>A transfer from the deployer, mined in a block of its own; returns its block.</summary>
    protected async Task<ulong> TransferAsync(string token, string to, BigInteger value)
    {
        var receipt = await MinedReceiptAsync(await SendTransferAsync(token, to, value));
        receipt.GetProperty("status").GetString().Should().Be("0x1", "setup: the transfer must succeed");
        return Quantity(receipt.GetProperty("blockNumber"));
    }

    protected Task<string> SendTransferAsync(string token, string to, BigInteger value) =>
        SendTransactionAsync(new { from = Deployer, to = token, data = TransferData(token, to, value), gas = "0x30d40" });

    protected async Task ApproveAsync(string token, string spender, BigInteger value)
    {
        var data = Web3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction("approve").GetData(spender, value);
        await MinedReceiptAsync(await SendTransactionAsync(new { from = Deployer, to = token, data, gas = "0x30d40" }));
    }

    /// <summary>Two transfers mined in one block, in this order (log index 0 and 1); returns the block.</summary>
    protected async Task<ulong> TwoTransfersInOneBlockAsync(string token, (string To, BigInteger Value) first, (string To, BigInteger Value) second)
    {
        var a = await SendTransferAsync(token, first.To, first.Value);
        var b = await SendTransferAsync(token, second.To, second.Value);
        await Chain.RpcAsync("evm_mine");
        var blockA = Quantity((await ReceiptAsync(a)).GetProperty("blockNumber"));
        var blockB = Quantity((await ReceiptAsync(b)).GetProperty("blockNumber"));
        blockB.Should().Be(blockA, "setup: both transfers must be in one block");
        return blockA;
    }

    protected async Task MineAsync(int blocks) => await Chain.RpcAsync("anvil_mine", "0x" + blocks.ToString("x", System.Globalization.CultureInfo.InvariantCulture));

    protected async Task<ulong> HeadAsync() => Quantity(await Chain.RpcAsync("eth_blockNumber"));

    protected async Task<string> BlockHashAsync(ulong number) =>
        (await Chain.RpcAsync("eth_getBlockByNumber", Hex(number), false)).GetProperty("hash").GetString()!;

    protected async Task<BigInteger> OnChainBalanceAsync(string token, string holder) =>
        await Web3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction("balanceOf").CallAsync<BigInteger>(holder);

    protected TransferIndexer NewIndexer(string token, ulong startBlock, int confirmations) =>
        new(Web3, new IndexerOptions(token, startBlock, confirmations, DatabasePath));

    /// <summary>Runs SQL on the indexer's file behind its back: how the tests inject a crash.</summary>
    protected void ExecuteSql(string sql)
    {
        using var connection = new SqliteConnection(IndexDatabase.ConnectionString(DatabasePath));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    protected long CountRows(string table)
    {
        using var connection = new SqliteConnection(IndexDatabase.ConnectionString(DatabasePath));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    protected async Task<string> SendTransactionAsync(object request) => (await Chain.RpcAsync("eth_sendTransaction", request)).GetString()!;

    protected async Task<JsonElement> ReceiptAsync(string hash) => await Chain.RpcAsync("eth_getTransactionReceipt", hash);

    /// <summary>Mines one block with what the mempool holds and returns the receipt of <paramref name="hash"/>.</summary>
    protected async Task<JsonElement> MinedReceiptAsync(string hash)
    {
        await Chain.RpcAsync("evm_mine");
        return await ReceiptAsync(hash);
    }

    protected static string Hex(ulong value) => "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    protected static ulong Quantity(JsonElement hex) => Convert.ToUInt64(hex.GetString()!, 16);
}

public class TransferIndexerTests(AnvilFixture chain) : IndexerChainTest(chain)
{
    [Fact]
    public async Task Poll_credits_the_token_s_Transfers_and_nothing_that_only_looks_like_one()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        var (otherToken, _) = await DeployTokenAsync();          // its mint is a Transfer to the deployer too
        var alice = FreshAddress();
        var bob = FreshAddress();
        await TransferAsync(token, alice, 5);
        await TransferAsync(otherToken, alice, 1_000);
        await ApproveAsync(token, bob, 77);                       // Approval(owner, spender, value): the same shape as a Transfer
        var indexer = NewIndexer(token, deployedIn, confirmations: 1);

        var result = await indexer.PollOnceAsync(Ct);

        result.TransfersApplied.Should().Be(2, "the token emitted two Transfers (the mint and the transfer to Alice); the other token's and the Approval are not this token's Transfers");
        (await indexer.BalanceOfAsync(alice, Ct)).Should().Be(5, "the other token's Transfer to Alice came from another address: only the emitter says whose token moved");
        (await indexer.BalanceOfAsync(bob, Ct)).Should().Be(0, "an Approval moves nothing: topic0 tells it from a Transfer");
        (await indexer.BalanceOfAsync(Deployer.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), Ct)).Should().Be(Supply - 5,
            "the deployer holds the mint less the transfer (and the holder is found whatever the case of its hex digits)");
        (await indexer.BalanceOfAsync(ZeroAddress, Ct)).Should().Be(0, "the zero address is not a holder: a mint comes from it");
        (await indexer.BalanceOfAsync(alice, Ct)).Should().Be(await OnChainBalanceAsync(token, alice), "the index agrees with the token's own balanceOf");
    }

    [Fact]
    public async Task Poll_credits_a_transfer_at_exactly_the_required_confirmations_and_never_before()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        await MineAsync(2);                                       // the mint now has 3 confirmations
        var alice = FreshAddress();
        var transferBlock = await TransferAsync(token, alice, 40);
        var indexer = NewIndexer(token, deployedIn, confirmations: 3);

        var atOne = await indexer.PollOnceAsync(Ct);
        var aliceAtOne = await indexer.BalanceOfAsync(alice, Ct);
        await MineAsync(1);
        var atTwo = await indexer.PollOnceAsync(Ct);
        var aliceAtTwo = await indexer.BalanceOfAsync(alice, Ct);
        await MineAsync(1);
        var atThree = await indexer.PollOnceAsync(Ct);

        atOne.TransfersApplied.Should().Be(1, "the mint has 3 confirmations; the transfer (the head block) has 1");
        aliceAtOne.Should().Be(0, "a transfer in the head block has 1 confirmation, not 3");
        atOne.Cursor!.BlockNumber.Should().Be(transferBlock - 2, "with the head at H, blocks up to H - N + 1 have N confirmations: the head is the transfer's block");
        atTwo.TransfersApplied.Should().Be(0, "2 confirmations are one too few");
        aliceAtTwo.Should().Be(0, "2 confirmations are one too few");
        atThree.TransfersApplied.Should().Be(1, "the head block counts as the first confirmation, so 2 blocks on top make 3");
        (await indexer.BalanceOfAsync(alice, Ct)).Should().Be(40);
        atThree.Cursor.Should().Be(new IndexCursor(transferBlock, await BlockHashAsync(transferBlock)), "the cursor is the last final block, number and hash");
    }

    [Fact]
    public async Task Polling_again_without_a_new_block_credits_nothing_and_new_blocks_are_followed()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        var alice = FreshAddress();
        var indexer = NewIndexer(token, deployedIn, confirmations: 1);

        var first = await indexer.PollOnceAsync(Ct);
        var again = await indexer.PollOnceAsync(Ct);
        var block = await TransferAsync(token, alice, 3);
        var afterTransfer = await indexer.PollOnceAsync(Ct);
        await TransferAsync(token, alice, 4);
        await MineAsync(3);
        var afterMore = await indexer.PollOnceAsync(Ct);

        first.TransfersApplied.Should().Be(1, "the mint");
        first.Cursor.Should().Be(new IndexCursor(deployedIn, await BlockHashAsync(deployedIn)));
        again.TransfersApplied.Should().Be(0, "the cursor's block was indexed already: start after it, not at it");
        again.Cursor.Should().Be(first.Cursor);
        afterTransfer.TransfersApplied.Should().Be(1, "each poll picks up the blocks mined since the last one");
        afterTransfer.Cursor!.BlockNumber.Should().Be(block);
        afterMore.TransfersApplied.Should().Be(1);
        afterMore.Cursor!.BlockNumber.Should().Be(await HeadAsync(), "with one confirmation the head block is final");
        (await indexer.BalanceOfAsync(Deployer, Ct)).Should().Be(Supply - 7, "the mint counted once, less 3 and 4");
        (await indexer.BalanceOfAsync(alice, Ct)).Should().Be(7);
        (await indexer.GetCursorAsync(Ct)).Should().Be(afterMore.Cursor, "the cursor is what the database says");
    }

    [Fact]
    public async Task Poll_takes_back_the_transfers_of_blocks_a_reorg_replaced_at_the_same_heights()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        var alice = FreshAddress();
        var bob = FreshAddress();
        var carol = FreshAddress();
        await TransferAsync(token, carol, 9);                      // below the reorg: stays
        await MineAsync(1);
        var replacedBlock = await TransferAsync(token, alice, 100);
        await MineAsync(2);
        var indexer = NewIndexer(token, deployedIn, confirmations: 2);
        var before = await indexer.PollOnceAsync(Ct);
        before.Cursor!.BlockNumber.Should().Be(replacedBlock + 1, "setup: the cursor is one block above Alice's transfer");
        // A reorg three blocks deep, deeper than the 2 confirmations: Anvil replaces the last three blocks with three
        // new ones at the same heights; the first of them holds a transfer to Bob instead of Alice's.
        var height = await HeadAsync();
        await Chain.RpcAsync("anvil_reorg", 3, new object[] { new object[] { new { from = Deployer, to = token, data = TransferData(token, bob, 7), gas = "0x30d40" }, 0 } });
        (await HeadAsync()).Should().Be(height, "setup: anvil_reorg keeps the height");

        var after = await indexer.PollOnceAsync(Ct);

        (await indexer.BalanceOfAsync(alice, Ct)).Should().Be(0,
            "Alice's transfer was in a block the reorg replaced: the cursor's number is still there, its hash is not, and the fork is below the cursor");
        (await indexer.BalanceOfAsync(bob, Ct)).Should().Be(7, "the new chain's transfer to Bob is final now");
        (await indexer.BalanceOfAsync(carol, Ct)).Should().Be(9, "Carol's transfer is below the reorg");
        (await indexer.BalanceOfAsync(Deployer, Ct)).Should().Be(Supply - 9 - 7, "the mint's block survived the reorg");
        after.TransfersRolledBack.Should().Be(1,
            "only Alice's transfer was in a replaced block: the fork point is the newest credited block still on the chain (Carol's), and what is below it stays credited");
        after.TransfersApplied.Should().Be(1, "the transfer to Bob; neither Carol's transfer nor the mint is credited again");
        after.Cursor.Should().Be(new IndexCursor(replacedBlock + 1, await BlockHashAsync(replacedBlock + 1)), "the cursor holds the new block's hash");
        after.Cursor!.BlockHash.Should().NotBe(before.Cursor.BlockHash);
    }

    [Fact]
    public async Task A_transfer_replaced_while_it_was_short_of_its_confirmations_is_never_credited()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        await MineAsync(2);
        var alice = FreshAddress();
        var bob = FreshAddress();
        await TransferAsync(token, alice, 100);
        var indexer = NewIndexer(token, deployedIn, confirmations: 3);
        var seen = await indexer.PollOnceAsync(Ct);
        await Chain.RpcAsync("anvil_reorg", 1, new object[] { new object[] { new { from = Deployer, to = token, data = TransferData(token, bob, 7), gas = "0x30d40" }, 0 } });
        await MineAsync(2);

        var after = await indexer.PollOnceAsync(Ct);

        seen.TransfersApplied.Should().Be(1, "the mint only: Alice's transfer had 1 confirmation of 3");
        after.TransfersRolledBack.Should().Be(0, "nothing credited was replaced");
        after.TransfersApplied.Should().Be(1, "the transfer to Bob that took its place, now with 3 confirmations");
        (await indexer.BalanceOfAsync(alice, Ct)).Should().Be(0, "a log seen near the head is not final: the reorg removed it before it had 3 confirmations");
        (await indexer.BalanceOfAsync(bob, Ct)).Should().Be(7);
    }

    [Fact]
    public async Task A_restarted_indexer_goes_on_from_its_cursor_without_missing_or_repeating_a_transfer()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        var alice = FreshAddress();
        (await NewIndexer(token, deployedIn, confirmations: 1).PollOnceAsync(Ct)).TransfersApplied.Should().Be(1, "setup: the mint");
        await TransferAsync(token, alice, 5);                     // mined while the indexer is down
        await MineAsync(2);

        var restarted = NewIndexer(token, deployedIn, confirmations: 1);
        var cursorOnRestart = await restarted.GetCursorAsync(Ct);
        var result = await restarted.PollOnceAsync(Ct);

        cursorOnRestart.Should().Be(new IndexCursor(deployedIn, await BlockHashAsync(deployedIn)), "the cursor is read back from the database");
        result.TransfersApplied.Should().Be(1, "the transfer mined while it was down, and not the mint again");
        (await restarted.BalanceOfAsync(alice, Ct)).Should().Be(5, "nothing mined while the indexer was down is missed");
        (await restarted.BalanceOfAsync(Deployer, Ct)).Should().Be(Supply - 5, "the mint is counted once across the restart");
    }

    [Fact]
    public async Task A_crash_between_two_logs_of_one_block_leaves_nothing_behind_and_the_restart_counts_each_log_once()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        var alice = FreshAddress();
        var bob = FreshAddress();
        await NewIndexer(token, deployedIn, confirmations: 1).PollOnceAsync(Ct);
        var block = await TwoTransfersInOneBlockAsync(token, (alice, 10), (bob, 20));
        // The process "dies" when the second log of the block is recorded: SQLite aborts that statement.
        ExecuteSql($"CREATE TRIGGER crash BEFORE INSERT ON transfers WHEN NEW.block_number = {block} AND NEW.log_index = 1 BEGIN SELECT RAISE(ABORT, 'simulated crash between two logs of one block'); END;");

        var crashing = () => NewIndexer(token, deployedIn, confirmations: 1).PollOnceAsync(Ct);

        await crashing.Should().ThrowAsync<SqliteException>("the database refused the second log's row");
        var afterCrash = NewIndexer(token, deployedIn, confirmations: 1);
        (await afterCrash.BalanceOfAsync(alice, Ct)).Should().Be(0, "the first log of the block must not be credited without the second: the poll is all or nothing");
        (await afterCrash.BalanceOfAsync(Deployer, Ct)).Should().Be(Supply);
        (await afterCrash.GetCursorAsync(Ct))!.BlockNumber.Should().Be(deployedIn, "the cursor did not move");
        CountRows("transfers").Should().Be(1, "only the mint's row: the aborted poll left no row behind");

        ExecuteSql("DROP TRIGGER crash;");
        var result = await NewIndexer(token, deployedIn, confirmations: 1).PollOnceAsync(Ct);

        result.TransfersApplied.Should().Be(2, "the restart credits both logs of the block, each once");
        (await afterCrash.BalanceOfAsync(alice, Ct)).Should().Be(10);
        (await afterCrash.BalanceOfAsync(bob, Ct)).Should().Be(20);
        (await afterCrash.BalanceOfAsync(Deployer, Ct)).Should().Be(Supply - 30);
    }

    [Fact]
    public async Task A_crash_while_the_cursor_is_written_takes_back_the_balances_written_before_it()
    {
        var (token, deployedIn) = await DeployTokenAsync();
        var alice = FreshAddress();
        await NewIndexer(token, deployedIn, confirmations: 1).PollOnceAsync(Ct);
        await TransferAsync(token, alice, 1);
        await TransferAsync(token, alice, 2);
        await MineAsync(1);
        var head = await HeadAsync();
        // The process "dies" when the new cursor block is recorded, after the batch's transfers and balances.
        ExecuteSql($"""
            CREATE TRIGGER crash_insert BEFORE INSERT ON blocks WHEN NEW.number = {head} BEGIN SELECT RAISE(ABORT, 'simulated crash at the cursor'); END;
            CREATE TRIGGER crash_update BEFORE UPDATE ON blocks WHEN NEW.number = {head} BEGIN SELECT RAISE(ABORT, 'simulated crash at the cursor'); END;
            """);

        var crashing = () => NewIndexer(token, deployedIn, confirmations: 1).PollOnceAsync(Ct);

        await crashing.Should().ThrowAsync<SqliteException>("the database refused the cursor's row");
        var afterCrash = NewIndexer(token, deployedIn, confirmations: 1);
        (await afterCrash.BalanceOfAsync(alice, Ct)).Should().Be(0,
            "balances written without their cursor would be credited again by the restart: the cursor and the balances are committed together or not at all");
        (await afterCrash.GetCursorAsync(Ct))!.BlockNumber.Should().Be(deployedIn);

        ExecuteSql("DROP TRIGGER crash_insert; DROP TRIGGER crash_update;");
        var result = await afterCrash.PollOnceAsync(Ct);

        result.TransfersApplied.Should().Be(2);
        (await afterCrash.BalanceOfAsync(alice, Ct)).Should().Be(3, "each transfer once");
        result.Cursor!.BlockNumber.Should().Be(head);
    }

    [Fact]
    public void The_indexer_refuses_zero_confirmations()
    {
        var act = () => new TransferIndexer(Web3, new IndexerOptions(FreshAddress(), 1, 0, DatabasePath));

        act.Should().Throw<ArgumentOutOfRangeException>("a log cannot be final before its block is mined: N is at least 1");
    }

    [Fact]
    public void The_indexer_refuses_a_missing_node_or_options()
    {
        var withoutNode = () => new TransferIndexer(null!, new IndexerOptions(FreshAddress(), 1, 1, DatabasePath));
        var withoutOptions = () => new TransferIndexer(Web3, null!);

        withoutNode.Should().Throw<ArgumentNullException>();
        withoutOptions.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task BalanceOf_refuses_a_blank_holder()
    {
        var indexer = NewIndexer(FreshAddress(), 1, confirmations: 1);

        var act = () => indexer.BalanceOfAsync(" ", Ct);

        await act.Should().ThrowAsync<ArgumentException>("a blank holder is a bug in the caller, not an account with no tokens");
    }
}
