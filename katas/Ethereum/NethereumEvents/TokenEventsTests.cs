using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Koans.Testing;
using Koans.Testing.Chain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.NethereumEvents;

public class TokenEventsTests(AnvilFixture chain) : ChainTest(chain)
{
    // keccak256("Transfer(address,address,uint256)"), generated with the js-sha3 package solc ships:
    // cd infra/chain && node -e "console.log(require('js-sha3').keccak256('Transfer(address,address,uint256)'))"
    private const string TransferTopic0 = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    // infra/chain/contracts/KoansToken.sol, compiled to infra/chain/artifacts/KoansToken.json.
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    private static readonly BigInteger Supply = 1_000_000 * BigInteger.Pow(10, 18);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private Web3 Web3 => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[0], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string Deployer => Web3.TransactionManager.Account.Address;

    // ---- Setup (provided): the token is deployed and used through its ABI JSON, not through the learner's DTO. ----

    private async Task<TransactionReceipt> DeployTokenAsync() =>
        await Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            Token.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(Token.Bytecode), Deployer, new Nethereum.Hex.HexTypes.HexBigInteger(3_000_000), Ct,
            "Koans Token", "KOAN", Supply);

    private async Task<TransactionReceipt> SendAsync(string token, string function, params object[] args)
    {
        var web3 = Web3;
        var receipt = await web3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction(function)
            .SendTransactionAndWaitForReceiptAsync(Deployer, new Nethereum.Hex.HexTypes.HexBigInteger(200_000), null, Ct, args);
        receipt.Status.Value.Should().Be(BigInteger.One, $"setup: {function} must succeed");
        return receipt;
    }

    private Task<TransactionReceipt> TransferAsync(string token, string to, BigInteger value) => SendAsync(token, "transfer", to, value);

    private static ulong Block(TransactionReceipt receipt) => (ulong)receipt.BlockNumber.Value;

    // ---- The tests ----

    [Fact]
    public async Task DecodeTransfers_reads_the_mint_from_the_deployment_receipt()
    {
        var deployment = await DeployTokenAsync();

        var transfers = TokenEvents.DecodeTransfers(deployment, deployment.ContractAddress);

        transfers.Should().ContainSingle("the constructor emits one Transfer, the mint");
        var mint = transfers[0];
        mint.Log.Topics[0].ToString().Should().Be(TransferTopic0, "topic0 is keccak256 of the canonical signature the [Event] attribute names");
        mint.Event.From.Should().BeEquivalentTo(ZeroAddress, "ERC-20 convention (EIP-20): a mint is a Transfer from the zero address");
        mint.Event.To.Should().BeEquivalentTo(Deployer, "the indexed `to` is the third topic");
        mint.Event.Value.Should().Be(Supply, "the value is not indexed: it is the log's data, one uint256 word");
    }

    [Fact]
    public async Task DecodeTransfers_keeps_the_order_and_the_transaction_of_each_log()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var recipient = FreshAddress();

        var receipt = await TransferAsync(token, recipient, 1234);
        var transfer = TokenEvents.DecodeTransfers(receipt, token).Single();

        transfer.Event.From.Should().BeEquivalentTo(Deployer, "the indexed `from` is the second topic");
        transfer.Event.To.Should().BeEquivalentTo(recipient);
        transfer.Event.Value.Should().Be(new BigInteger(1234));
        transfer.Log.TransactionHash.Should().Be(receipt.TransactionHash);
        transfer.Log.BlockNumber.Value.Should().Be(receipt.BlockNumber.Value);
    }

    [Fact]
    public async Task DecodeTransfers_leaves_out_Transfers_emitted_by_another_contract()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var impostor = (await DeployTokenAsync()).ContractAddress;
        var ours = await TransferAsync(token, FreshAddress(), 1);
        var theirs = await TransferAsync(impostor, FreshAddress(), 1_000_000);
        // One receipt with both tokens' logs, as a swap's receipt has.
        ours.Logs = [.. ours.Logs, .. theirs.Logs];

        var transfers = TokenEvents.DecodeTransfers(ours, token);

        transfers.Select(t => t.Event.Value).Should().Equal([BigInteger.One],
            "a Transfer emitted by another address is not a transfer of this token, whatever its topics say (fake-token and address-poisoning scams rely on decoders that forget this)");
    }

    [Fact]
    public async Task DecodeTransfers_leaves_out_an_Approval_although_it_has_the_same_shape()
    {
        var token = (await DeployTokenAsync()).ContractAddress;

        var approval = await SendAsync(token, "approve", FreshAddress(), new BigInteger(5));

        TokenEvents.DecodeTransfers(approval, token).Should().BeEmpty(
            "Approval(address indexed owner, address indexed spender, uint256 value) has two indexed addresses and one word too: only topic0 tells them apart");
    }

    [Fact]
    public async Task DecodeTransfers_rejects_a_Transfer_with_four_topics()
    {
        var deployment = await DeployTokenAsync();
        // ERC-721 (EIP-721): Transfer(address indexed from, address indexed to, uint256 indexed tokenId): same topic0, the id as topic3, no data.
        var mint = deployment.Logs[0];
        deployment.Logs =
        [
            new FilterLog
            {
                Address = mint.Address, Topics = [.. mint.Topics, "0x" + new string('0', 63) + "7"], Data = "0x",
                BlockNumber = mint.BlockNumber, BlockHash = mint.BlockHash, TransactionHash = mint.TransactionHash,
                TransactionIndex = mint.TransactionIndex, LogIndex = mint.LogIndex, Removed = mint.Removed,
            },
        ];

        var act = () => TokenEvents.DecodeTransfers(deployment, deployment.ContractAddress);

        act.Should().Throw<ArgumentException>("topic0 alone does not make a log an ERC-20 Transfer: an NFT transfer must not be read as an amount");
    }

    [Fact]
    public async Task QueryTransfers_returns_only_the_token_s_transfers_inside_the_inclusive_block_range()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var otherToken = (await DeployTokenAsync()).ContractAddress;
        var first = await TransferAsync(token, FreshAddress(), 1);       // Anvil mines one block per transaction
        var second = await TransferAsync(token, FreshAddress(), 2);
        await TransferAsync(otherToken, FreshAddress(), 20);              // same block range, another contract
        var third = await TransferAsync(token, FreshAddress(), 3);

        var found = await TokenEvents.QueryTransfersAsync(Web3, token, Block(first), Block(third) - 1, cancellationToken: Ct);

        found.Select(t => t.Event.Value).Should().Equal([BigInteger.One, new BigInteger(2)],
            "the range is inclusive at both ends, excludes the third transfer's block, and the address excludes the other token");
        found.Select(t => t.Log.TransactionHash).Should().Equal([first.TransactionHash, second.TransactionHash], "logs come in block order");
    }

    [Fact]
    public async Task QueryTransfers_by_recipient_filters_on_the_third_topic_on_the_node()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var alice = FreshAddress();
        var bob = FreshAddress();
        var start = Block(await TransferAsync(token, alice, 10));
        await TransferAsync(token, bob, 20);
        await SendAsync(token, "approve", alice, new BigInteger(99));     // Alice is the second indexed address of an Approval
        var end = Block(await TransferAsync(token, alice, 30));

        var toAlice = await TokenEvents.QueryTransfersAsync(Web3, token, start, end, to: alice, cancellationToken: Ct);

        toAlice.Select(t => t.Event.Value).Should().Equal([new BigInteger(10), new BigInteger(30)],
            "`to` is the third topic: 'any from' is a null second topic, and topic0 keeps the Approval out");
        toAlice.Should().OnlyContain(t => string.Equals(t.Event.To, alice, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task QueryTransfers_by_sender_filters_on_the_second_topic()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var start = Block(await TransferAsync(token, FreshAddress(), 5));
        var end = Block(await TransferAsync(token, FreshAddress(), 6));

        var fromDeployer = await TokenEvents.QueryTransfersAsync(Web3, token, start, end, from: Deployer, cancellationToken: Ct);
        var fromStranger = await TokenEvents.QueryTransfersAsync(Web3, token, start, end, from: FreshAddress(), cancellationToken: Ct);

        fromDeployer.Select(t => t.Event.Value).Should().Equal([new BigInteger(5), new BigInteger(6)]);
        fromStranger.Should().BeEmpty("nobody else sent anything: a filter that drops the `from` topic would return both transfers");
    }

    [Fact]
    public async Task QueryTransfers_rejects_a_range_whose_start_is_after_its_end()
    {
        var token = (await DeployTokenAsync()).ContractAddress;

        var act = () => TokenEvents.QueryTransfersAsync(Web3, token, fromBlock: 10, toBlock: 9, cancellationToken: Ct);

        await act.Should().ThrowAsync<ArgumentException>("a reversed range matches nothing; returning an empty list would hide the bug");
    }

    // ---- Offline: receipts written by hand. ----

    private const string TokenAddress = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Alice = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string Bob = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    private static string Topic(string address) => "0x000000000000000000000000" + address[2..];

    private static string Word(BigInteger value) => "0x" + value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    private static FilterLog HandLog(string address, object[] topics, string data, int index) => new()
    {
        Address = address, Topics = topics, Data = data,
        BlockNumber = new Nethereum.Hex.HexTypes.HexBigInteger(7), TransactionHash = "0x" + new string('a', 64),
        TransactionIndex = new Nethereum.Hex.HexTypes.HexBigInteger(0), LogIndex = new Nethereum.Hex.HexTypes.HexBigInteger(index),
        BlockHash = "0x" + new string('c', 64), Removed = false,
    };

    [Fact]
    public void DecodeTransfers_skips_the_token_s_anonymous_logs_and_other_events_whatever_their_topic_count()
    {
        // An anonymous event has no topic 0 at all; Deposit-like events with three indexed arguments have four topics.
        var fourIndexed = "0x" + Convert.ToHexStringLower(Nethereum.Util.Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes("Moved(address,address,uint256,uint256)")));
        var receipt = new TransactionReceipt
        {
            Logs =
            [
                HandLog(TokenAddress, [], Word(5), 0),
                HandLog(TokenAddress, [fourIndexed, Topic(Alice), Topic(Bob), Word(1)], Word(6), 1),
                HandLog(TokenAddress, [TransferTopic0, Topic(Alice), Topic(Bob)], Word(7), 2),
            ],
        };

        TokenEvents.DecodeTransfers(receipt, TokenAddress).Select(t => t.Event.Value).Should().Equal([new BigInteger(7)],
            "a log without topics, or with another topic 0, is not a Transfer at all: skip it, whatever its shape (only the token's Transfers must have three topics)");
    }

    [Fact]
    public void DecodeTransfers_refuses_a_null_receipt_by_name()
    {
        var act = () => TokenEvents.DecodeTransfers(null!, TokenAddress);

        act.Should().Throw<ArgumentNullException>().WithParameterName("receipt");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void DecodeTransfers_refuses_a_missing_token_address_by_name(string? token)
    {
        var receipt = new TransactionReceipt { Logs = [HandLog(TokenAddress, [TransferTopic0, Topic(Alice), Topic(Bob)], Word(7), 0)] };

        var act = () => TokenEvents.DecodeTransfers(receipt, token!);

        act.Should().Throw<ArgumentException>("no address matches no emitter: an empty list would hide the caller's bug").WithParameterName("token");
    }

    // ---- A fake node on 127.0.0.1 for what Anvil cannot be made to answer. ----

    /// <summary>A JSON-RPC node whose eth_getLogs answers <paramref name="logs"/>; every other method is an error.</summary>
    private static Task<LoopbackHttpServer> FakeNodeAsync(params JsonObject[] logs) => LoopbackHttpServer.StartAsync(app =>
        app.MapPost("/", async (HttpRequest request) =>
        {
            using var call = await JsonDocument.ParseAsync(request.Body);
            var method = call.RootElement.GetProperty("method").GetString();
            var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(call.RootElement.GetProperty("id").GetRawText()) };
            if (method == "eth_getLogs")
            {
                answer["result"] = new JsonArray([.. logs.Select(l => l.DeepClone())]);
            }
            else
            {
                answer["error"] = new JsonObject { ["code"] = -32601, ["message"] = $"the fake node does not answer {method}" };
            }

            return Results.Content(answer.ToJsonString(), "application/json");
        }), TestContext.Current.CancellationToken);

    [Fact]
    public async Task QueryTransfers_rejects_a_Transfer_with_four_topics_that_the_node_returns()
    {
        // ERC-721's Transfer(address indexed from, address indexed to, uint256 indexed tokenId), as eth_getLogs returns it.
        await using var node = await FakeNodeAsync(new JsonObject
        {
            ["address"] = TokenAddress, ["topics"] = new JsonArray(TransferTopic0, Topic(Alice), Topic(Bob), Word(42)), ["data"] = "0x",
            ["blockNumber"] = "0x7", ["blockHash"] = "0x" + new string('c', 64), ["transactionHash"] = "0x" + new string('a', 64),
            ["transactionIndex"] = "0x0", ["logIndex"] = "0x0", ["removed"] = false,
        });

        var act = () => TokenEvents.QueryTransfersAsync(new Web3(node.BaseAddress.ToString()), TokenAddress, 1, 10, cancellationToken: Ct);

        await act.Should().ThrowAsync<ArgumentException>(
            "the node matched topic 0 only: an NFT transfer from the token's address must be refused here as in DecodeTransfers, not dropped or read as an amount");
    }

    [Fact]
    public async Task QueryTransfers_refuses_a_null_web3_by_name_and_a_cancelled_query_sends_nothing()
    {
        await using var node = await FakeNodeAsync();

        var noWeb3 = () => TokenEvents.QueryTransfersAsync(null!, TokenAddress, 1, 10, cancellationToken: Ct);
        var cancelled = () => TokenEvents.QueryTransfersAsync(new Web3(node.BaseAddress.ToString()), TokenAddress, 1, 10, cancellationToken: new CancellationToken(canceled: true));

        await noWeb3.Should().ThrowAsync<ArgumentNullException>().WithParameterName("web3");
        await cancelled.Should().ThrowAsync<OperationCanceledException>("the caller gave up before the query began");
        node.TotalRequests.Should().Be(0, "a cancelled query sends no request");
    }

    // ---- Online edges. ----

    [Fact]
    public async Task QueryTransfers_of_a_one_block_range_finds_that_block_s_transfer()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        await TransferAsync(token, FreshAddress(), 1);
        var only = await TransferAsync(token, FreshAddress(), 2);
        await TransferAsync(token, FreshAddress(), 3);

        var found = await TokenEvents.QueryTransfersAsync(Web3, token, Block(only), Block(only), cancellationToken: Ct);

        found.Select(t => t.Event.Value).Should().Equal([new BigInteger(2)], "fromBlock == toBlock is one block, not an empty range");
    }

    [Fact]
    public async Task QueryTransfers_never_resumes_on_the_caller_s_synchronization_context()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var transfer = await TransferAsync(token, FreshAddress(), 4);
        var web3 = Web3;
        var context = new CallerContext();

        var found = await context.Run(() => TokenEvents.QueryTransfersAsync(web3, token, Block(transfer), Block(transfer), cancellationToken: Ct));

        found.Should().ContainSingle();
        context.Posts.Should().Be(0,
            "this is library code: after the request it must not come back to the caller's context (a UI thread), where the hop queues behind the UI and a caller that blocks on the task deadlocks");
    }
}
