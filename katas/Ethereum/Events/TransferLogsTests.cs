using System.Numerics;
using System.Security.Cryptography;
using Koans.Testing.Chain;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.Events;

public class TransferLogsTests(AnvilFixture chain) : ChainTest(chain)
{
    // keccak256("Transfer(address,address,uint256)"), generated with the js-sha3 package solc ships:
    // cd infra/chain && node -e "console.log(require('js-sha3').keccak256('Transfer(address,address,uint256)'))"
    // It is also the topic0 every ERC-20 Transfer on mainnet carries (EIP-20 defines the event).
    private const string TransferTopic0 = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    // infra/chain/contracts/KoansToken.sol: constructor(string name_, string symbol_, uint256 initialSupply).
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    private static readonly BigInteger Supply = 1_000_000 * BigInteger.Pow(10, 18);
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";
    private Web3 Web3 => new(new Nethereum.Web3.Accounts.Account(Key, AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string Key => Chain.PrivateKeys[0];

    private string Deployer => new Nethereum.Web3.Accounts.Account(Key).Address.ToLowerInvariant();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    // ---- Setup helpers (provided): deploy the token and move tokens with Nethereum, through the artifact's ABI. ----

    private async Task<TransactionReceipt> DeployTokenAsync()
    {
        var receipt = await Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            Token.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(Token.Bytecode), Deployer, new HexBigInteger(3_000_000), Ct,
            "Koans Token", "KOAN", Supply);
        receipt.Status.Value.Should().Be(BigInteger.One, "setup: the KoansToken creation must succeed");
        return receipt;
    }

    private async Task<TransactionReceipt> SendTokenCallAsync(string token, string function, params object[] args)
    {
        var receipt = await Web3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction(function)
            .SendTransactionAndWaitForReceiptAsync(Deployer, new HexBigInteger(200_000), null, Ct, args);
        receipt.Status.Value.Should().Be(BigInteger.One, $"setup: {function} must succeed");
        return receipt;
    }

    private Task<TransactionReceipt> TransferTokensAsync(string token, string to, BigInteger value) =>
        SendTokenCallAsync(token, "transfer", to, value);

    private static ulong Block(TransactionReceipt receipt) => (ulong)receipt.BlockNumber.Value;

    // A copy of a log with other topics and data, as a hostile or non-ERC-20 contract could emit it.
    private static FilterLog WithTopicsAndData(FilterLog log, object[] topics, string data) => new()
    {
        Address = log.Address, Topics = topics, Data = data, BlockNumber = log.BlockNumber, BlockHash = log.BlockHash,
        TransactionHash = log.TransactionHash, TransactionIndex = log.TransactionIndex, LogIndex = log.LogIndex, Removed = log.Removed,
    };

    // ---- The tests ----

    [Fact]
    public async Task The_Transfer_topic_is_the_keccak_of_the_canonical_event_signature()
    {
        TransferLogs.TransferTopic.Should().Be(TransferTopic0,
            "topic0 is keccak256(\"Transfer(address,address,uint256)\"): types only, no names, no spaces, no 'indexed'");

        var deployment = await DeployTokenAsync();
        deployment.Logs.Should().ContainSingle("the constructor emits one Transfer, the mint");
        deployment.Logs[0].Topics[0].ToString().Should().Be(TransferTopic0, "the real node's log carries the same topic0 the compiler derived");
    }

    [Fact]
    public async Task An_address_topic_is_the_address_left_padded_to_32_bytes()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var recipient = AnvilAccounts.Addresses[1];

        var log = (await TransferTokensAsync(token, recipient, 7)).Logs.Single();

        TransferLogs.AddressTopic(recipient).Should().Be("0x000000000000000000000000" + recipient[2..].ToLowerInvariant(),
            "an indexed address is stored as its ABI word: 12 zero bytes, then the 20 address bytes, in lowercase hex");
        log.Topics[2].ToString().Should().Be(TransferLogs.AddressTopic(recipient), "the node put `to` in the third topic exactly so");
        log.Topics[1].ToString().Should().Be(TransferLogs.AddressTopic(Deployer), "and `from` in the second");
    }

    [Fact]
    public async Task Decode_reads_from_and_to_from_the_topics_and_the_value_from_the_data()
    {
        var deployment = await DeployTokenAsync();
        var token = deployment.ContractAddress;
        var recipient = FreshAddress();

        var mint = TransferLogs.Decode(deployment.Logs[0]);
        var receipt = await TransferTokensAsync(token, recipient, 1234);
        var transfer = TransferLogs.Decode(receipt.Logs.Single());

        mint.From.Should().Be(ZeroAddress, "ERC-20 convention (EIP-20): a mint is a Transfer from the zero address");
        mint.To.Should().Be(Deployer, "the constructor gives the whole supply to the deployer");
        mint.Value.Should().Be(Supply, "the value is the single uint256 in the data, not a topic");
        transfer.Token.Should().Be(token.ToLowerInvariant(), "the log's address is the contract that emitted it");
        transfer.From.Should().Be(Deployer);
        transfer.To.Should().Be(recipient);
        transfer.Value.Should().Be(new BigInteger(1234));
        transfer.TransactionHash.Should().Be(receipt.TransactionHash);
        transfer.BlockNumber.Should().Be(Block(receipt));
    }

    [Fact]
    public async Task GetLogs_returns_only_the_token_s_transfers_inside_the_block_range()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var otherToken = (await DeployTokenAsync()).ContractAddress;
        var first = await TransferTokensAsync(token, FreshAddress(), 1);       // Anvil mines one block per transaction
        var second = await TransferTokensAsync(token, FreshAddress(), 2);
        await TransferTokensAsync(otherToken, FreshAddress(), 20);             // same block range, another contract
        var third = await TransferTokensAsync(token, FreshAddress(), 3);

        var filter = TransferLogs.BuildFilter(token, Block(first), Block(third) - 1);
        var found = await TransferLogs.QueryAsync(Web3, filter, Ct);

        filter.FromBlock.Should().Be("0x" + Block(first).ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            "block numbers are JSON-RPC quantities: 0x-prefixed compact hex");
        filter.Topics[0].Should().Be(TransferTopic0, "topic0 selects the event");
        found.Select(t => t.Value).Should().Equal([new BigInteger(1), new BigInteger(2)],
            "the range is inclusive at both ends, excludes the third transfer's block, and the address excludes the other token");
        found.Select(t => t.TransactionHash).Should().Equal([first.TransactionHash, second.TransactionHash], "logs come in block order");
    }

    [Fact]
    public async Task Filtering_by_the_indexed_to_address_uses_the_third_topic_position()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var alice = FreshAddress();
        var bob = FreshAddress();
        var start = Block(await TransferTokensAsync(token, alice, 10));
        await TransferTokensAsync(token, bob, 20);
        var end = Block(await TransferTokensAsync(token, alice, 30));

        var filter = TransferLogs.BuildFilter(token, start, end, to: alice);
        var toAlice = await TransferLogs.QueryAsync(Web3, filter, Ct);

        filter.Topics.Should().Equal([TransferTopic0, null, TransferLogs.AddressTopic(alice)],
            "topics match by position: `from` is the second topic, so 'any from' is a null there, and `to` is the third");
        toAlice.Select(t => t.Value).Should().Equal([new BigInteger(10), new BigInteger(30)],
            "the node filtered on the indexed `to`: Bob's transfer never left it");
        toAlice.Should().OnlyContain(t => t.To == alice);
    }

    [Fact]
    public async Task A_log_with_another_topic0_is_not_decoded_as_a_Transfer()
    {
        var token = (await DeployTokenAsync()).ContractAddress;
        var approval = (await SendTokenCallAsync(token, "approve", FreshAddress(), new BigInteger(5))).Logs.Single();

        var act = () => TransferLogs.Decode(approval);

        act.Should().Throw<ArgumentException>(
            "Approval(address,address,uint256) has the same shape (two indexed addresses, one uint256) but another topic0: only topic0 tells them apart");
    }

    [Fact]
    public async Task A_Transfer_with_four_topics_is_an_ERC721_transfer_and_is_rejected()
    {
        var log = (await DeployTokenAsync()).Logs[0];
        // ERC-721 (EIP-721): Transfer(address indexed from, address indexed to, uint256 indexed tokenId): same topic0, the id as topic3, no data.
        var nft = WithTopicsAndData(log, [.. log.Topics, "0x" + new string('0', 63) + "7"], "0x");

        var act = () => TransferLogs.Decode(nft);

        act.Should().Throw<ArgumentException>("topic0 alone does not make a log an ERC-20 Transfer: the topic count must be 3");
    }

    [Fact]
    public async Task A_Transfer_whose_data_is_not_one_word_is_rejected()
    {
        var log = (await DeployTokenAsync()).Logs[0];
        var shortData = WithTopicsAndData(log, log.Topics, log.Data[..^2]); // 31 bytes

        var act = () => TransferLogs.Decode(shortData);

        act.Should().Throw<FormatException>("the value is one 32-byte uint256; 31 bytes is a malformed (or hostile) log, not a smaller number");
    }

    [Fact]
    public void A_filter_whose_fromBlock_is_after_its_toBlock_is_rejected()
    {
        var act = () => TransferLogs.BuildFilter(FreshAddress(), fromBlock: 10, toBlock: 9);

        act.Should().Throw<ArgumentException>("a reversed range matches nothing; returning an empty list would hide the bug");
    }

    // ---- Hand-made logs: what a hostile or broken contract can put in a log, without a chain ----

    private const string HandMadeToken = "0x5FbDB2315678afecb367f032d93F642f64180aa3"; // EIP-55 mixed case, as users paste it
    private const string Alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private const string Bob = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    private static readonly string OneWord = "0x" + new string('0', 63) + "1";

    private static string TopicOf(string address) => "0x" + new string('0', 24) + address[2..];

    private static FilterLog HandMadeLog(object?[]? topics, string? data) => new()
    {
        Address = HandMadeToken, Topics = topics!, Data = data!, BlockNumber = new HexBigInteger(7),
        TransactionHash = "0x" + new string('a', 64), LogIndex = new HexBigInteger(2),
    };

    [Fact]
    public void Decode_reads_every_field_of_a_hand_made_Transfer()
    {
        // 2^255: the top bit of the word is set.
        var topBit = "0x8" + new string('0', 63);

        var transfer = TransferLogs.Decode(HandMadeLog([TransferTopic0, TopicOf(Alice), TopicOf(Bob)], topBit));

        transfer.Value.Should().Be(BigInteger.Pow(2, 255), "a uint256 with its top bit set is still positive: the word is read unsigned, big-endian");
        transfer.Token.Should().Be(HandMadeToken.ToLowerInvariant(), "addresses come out 0x lowercase, whatever case the log carried");
        transfer.From.Should().Be(Alice);
        transfer.To.Should().Be(Bob);
        transfer.BlockNumber.Should().Be(7UL);
        transfer.LogIndex.Should().Be(2UL, "the log index tells two Transfers of one transaction apart");
        transfer.TransactionHash.Should().Be("0x" + new string('a', 64));
    }

    [Fact]
    public void Decode_rejects_an_address_topic_with_dirty_high_bytes()
    {
        var dirty = "0x01" + new string('0', 22) + Alice[2..];

        var dirtyFrom = () => TransferLogs.Decode(HandMadeLog([TransferTopic0, dirty, TopicOf(Bob)], OneWord));
        var dirtyTo = () => TransferLogs.Decode(HandMadeLog([TransferTopic0, TopicOf(Alice), dirty], OneWord));

        dirtyFrom.Should().Throw<FormatException>(
            "an address topic is 12 zero bytes then the 20 address bytes; keeping the last 20 of a dirty word would report a transfer from an address the contract never named");
        dirtyTo.Should().Throw<FormatException>("the same holds for `to`, the third topic");
    }

    [Fact]
    public void Decode_rejects_topics_and_data_that_are_not_exactly_the_right_bytes()
    {
        FilterLog[] malformed =
        [
            HandMadeLog([TransferTopic0, "0x" + new string('0', 62), TopicOf(Bob)], OneWord), // a 31-byte topic
            HandMadeLog([TransferTopic0, null, TopicOf(Bob)], OneWord),                       // a missing topic
            HandMadeLog([TransferTopic0, TopicOf(Alice), TopicOf(Bob)], OneWord + "00"),      // 33 bytes of data
            HandMadeLog([TransferTopic0, TopicOf(Alice), TopicOf(Bob)], OneWord[..^1]),       // an odd number of hex digits
            HandMadeLog([TransferTopic0, TopicOf(Alice), TopicOf(Bob)], OneWord[2..]),        // no 0x
            HandMadeLog([TransferTopic0, TopicOf(Alice), TopicOf(Bob)], "0x"),                // no data at all
            HandMadeLog([TransferTopic0, TopicOf(Alice), TopicOf(Bob)], null),                // data absent
        ];

        foreach (var log in malformed)
        {
            var act = () => TransferLogs.Decode(log);
            act.Should().Throw<FormatException>(
                "topics are 32-byte words and the data one 32-byte word, as 0x-prefixed hex bytes; anything else is a malformed log (case: {0} / {1})",
                string.Join(",", log.Topics.Select(t => t ?? "null")), log.Data ?? "null");
        }
    }

    [Fact]
    public void A_log_without_topics_is_not_a_Transfer()
    {
        var none = () => TransferLogs.Decode(HandMadeLog([], OneWord));
        var absent = () => TransferLogs.Decode(HandMadeLog(null, OneWord));

        none.Should().Throw<ArgumentException>("an anonymous event has no topic0, so nothing says it is a Transfer").WithParameterName("log");
        absent.Should().Throw<ArgumentException>("no topics at all is no Transfer either").WithParameterName("log");
    }

    [Fact]
    public void Null_and_malformed_addresses_are_refused_by_parameter_name()
    {
        string?[] notAddresses =
        [
            null,
            "0x1234",                                         // 2 bytes
            "0x" + new string('a', 42),                       // 21 bytes
            "00" + new string('a', 40),                       // 42 characters, no 0x
            "0x" + new string('a', 39) + "g",                 // not hex
        ];

        foreach (var address in notAddresses)
        {
            var topic = () => TransferLogs.AddressTopic(address!);
            var filter = () => TransferLogs.BuildFilter(address!, 1, 2);
            topic.Should().Throw<ArgumentException>("'{0}' is not 0x and 40 hex digits", address).WithParameterName("address");
            filter.Should().Throw<ArgumentException>("a filter on '{0}' would match another contract's logs, or none", address).WithParameterName("token");
        }

        var decodeNull = () => TransferLogs.Decode(null!);
        decodeNull.Should().Throw<ArgumentNullException>().WithParameterName("log");
    }

    [Fact]
    public void BuildFilter_writes_the_range_as_quantities_the_token_in_lowercase_and_from_in_the_second_topic()
    {
        var filter = TransferLogs.BuildFilter(HandMadeToken, 0, 26, from: Alice);
        var oneBlock = TransferLogs.BuildFilter(HandMadeToken, 5, 5);

        filter.FromBlock.Should().Be("0x0", "a JSON-RPC quantity has at least one digit: zero is 0x0");
        filter.ToBlock.Should().Be("0x1a", "26 is 0x1a: compact lowercase hex");
        filter.Address.Should().Be(HandMadeToken.ToLowerInvariant());
        filter.Topics.Should().Equal([TransferTopic0, TopicOf(Alice), null], "`from` is always the second topic; 'any to' is a null in the third");
        oneBlock.Topics.Should().Equal([TransferTopic0, null, null], "no from and no to: any value in both positions");
        (oneBlock.FromBlock, oneBlock.ToBlock).Should().Be(("0x5", "0x5"), "both ends are inclusive: a range of one block is fine");
    }

    [Fact]
    public async Task QueryAsync_refuses_null_and_a_caller_who_has_given_up()
    {
        var filter = TransferLogs.BuildFilter(HandMadeToken, 1, 2);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var withoutWeb3 = () => TransferLogs.QueryAsync(null!, filter, Ct);
        var withoutFilter = () => TransferLogs.QueryAsync(Web3, null!, Ct);
        var givenUp = () => TransferLogs.QueryAsync(Web3, filter, cancelled.Token);

        (await withoutWeb3.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await withoutFilter.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("filter");
        await givenUp.Should().ThrowAsync<OperationCanceledException>("the request takes no token: a caller who has given up is heard before it is sent");
    }
}
