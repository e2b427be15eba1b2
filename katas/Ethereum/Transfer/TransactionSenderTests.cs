using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.KeysToAddress;
using Koans.Testing.Chain;
using Microsoft.Extensions.Time.Testing;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.Transfer;

public class TransactionSenderTests : ChainTest, IDisposable
{
    private static readonly BigInteger OneEther = BigInteger.Pow(10, 18);
    private readonly RequestRecorder requests;
    private readonly HttpClient http;

    public TransactionSenderTests(AnvilFixture chain)
        : base(chain)
    {
        // Every JSON-RPC request goes through the recorder, so a test can see what was asked of the node, and whether
        // anything was asked at all.
        requests = new RequestRecorder { InnerHandler = new SocketsHttpHandler() };
        http = new HttpClient(requests);
    }

    private EthRpcClient Rpc => new(http, Chain.RpcUrl);

    private TransactionSender Sender => new(Rpc);

    private string Key => Chain.PrivateKeys[0];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TransferAsync_credits_the_recipient_with_exactly_the_value()
    {
        var recipient = FreshAddress();

        var receipt = await Sender.TransferAsync(Key, recipient, OneEther / 1000, Token);

        receipt.Succeeded.Should().BeTrue("a plain transfer from a funded account succeeds");
        (await Rpc.GetBalanceAsync(recipient, cancellationToken: Token)).Should().Be(OneEther / 1000,
            "the recipient receives the value, to the wei; the fee is paid by the sender");
    }

    [Fact]
    public async Task TransferAsync_debits_the_sender_by_value_plus_gasUsed_times_effectiveGasPrice_exactly()
    {
        var from = EthKeys.AddressFromPrivateKey(Key);
        var value = 12345 * BigInteger.Pow(10, 12);

        var receipt = await Sender.TransferAsync(Key, FreshAddress(), value, Token);

        var before = await Rpc.GetBalanceAsync(from, "0x" + (receipt.BlockNumber - 1).ToString("x"), Token);
        var after = await Rpc.GetBalanceAsync(from, "0x" + receipt.BlockNumber.ToString("x"), Token);
        (before - after).Should().Be(value + (receipt.GasUsed * receipt.EffectiveGasPrice),
            "the sender pays the value plus gasUsed * effectiveGasPrice; the unused part of maxFeePerGas is never charged");
    }

    [Fact]
    public async Task The_receipt_of_a_plain_transfer_shows_sender_recipient_and_21000_gas()
    {
        var recipient = FreshAddress();

        var receipt = await Sender.TransferAsync(Key, recipient, 1, Token);

        receipt.From.Should().BeEquivalentTo(EthKeys.AddressFromPrivateKey(Key), "the node recovers the sender from the signature");
        receipt.To.Should().BeEquivalentTo(recipient);
        receipt.GasUsed.Should().Be(new BigInteger(21000), "a transfer without data to an account without code costs the intrinsic 21000 gas (Yellow Paper, G_transaction)");
        receipt.ContractAddress.Should().BeNull("only a contract creation has a contract address");
        receipt.Logs.Should().BeEmpty("a transfer to an account without code runs no code and emits nothing");
    }

    [Fact]
    public async Task The_mined_transaction_is_type_2_signed_for_this_chain_with_the_senders_nonce()
    {
        var from = EthKeys.AddressFromPrivateKey(Key);
        var nonce = await Rpc.GetTransactionCountAsync(from, "latest", Token);

        var hash = await Sender.SendAsync(Key, FreshAddress(), 1, [], Token);
        await Sender.WaitForReceiptAsync(hash, Token);

        var transaction = await Rpc.CallAsync("eth_getTransactionByHash", [hash], Token);
        transaction.GetProperty("type").GetString().Should().Be("0x2", "an EIP-1559 transaction is type 2 (EIP-2718 envelope)");
        EthRpcClient.ParseQuantity(transaction.GetProperty("nonce").GetString()!).Should().Be(new BigInteger(nonce),
            "the nonce is the sender's transaction count before this transaction");
        EthRpcClient.ParseQuantity(transaction.GetProperty("chainId").GetString()!).Should().Be(await Rpc.ChainIdAsync(Token),
            "EIP-155/1559: the signature commits to the chain id, so it cannot be replayed on another chain");
    }

    [Fact]
    public async Task Two_transactions_sent_before_either_is_read_back_get_consecutive_nonces()
    {
        var first = await Sender.SendAsync(Key, FreshAddress(), 1, [], Token);
        var second = await Sender.SendAsync(Key, FreshAddress(), 1, [], Token);

        var receipts = new[] { await Sender.WaitForReceiptAsync(first, Token), await Sender.WaitForReceiptAsync(second, Token) };

        receipts.Should().OnlyContain(r => r.Succeeded, "eth_getTransactionCount at \"pending\" counts the first one, so the second takes the next nonce");
        first.Should().NotBe(second);
    }

    [Fact]
    public async Task An_unfunded_sender_is_refused_by_the_node()
    {
        var poorKey = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var recipient = FreshAddress();

        var act = () => Sender.TransferAsync(poorKey, recipient, 1, Token);

        await act.Should().ThrowAsync<JsonRpcException>("an account with no ether cannot pay the value or the gas: the node refuses the transaction");
        (await Rpc.GetBalanceAsync(recipient, cancellationToken: Token)).Should().Be(BigInteger.Zero, "nothing was sent");
    }

    [Theory]
    [InlineData("0x1234")] // 2 bytes
    [InlineData("0x00112233445566778899aabbccddeeff0011223344")] // 21 bytes
    [InlineData("00112233445566778899aabbccddeeff0011223344")] // 42 characters, but no 0x
    [InlineData("0x112233445566778899aabbccddeeff001122334g")] // 0x and 40 characters, one not hex
    public async Task SendAsync_rejects_a_malformed_recipient_before_any_request(string to)
    {
        var sender = Sender;
        var before = requests.Count;

        var act = () => sender.SendAsync(Key, to, 1, [], Token);

        (await act.Should().ThrowAsync<ArgumentException>("a recipient that is not exactly 0x and 40 hex digits would be sent to a different address, or nowhere; refuse it"))
            .WithParameterName("to");
        requests.Count.Should().Be(before, "the recipient is checked before anything is asked of the node or signed");
    }

    [Fact]
    public async Task SendAsync_rejects_a_negative_value_before_any_request()
    {
        var sender = Sender;
        var before = requests.Count;

        var act = () => sender.SendAsync(Key, FreshAddress(), -1, [], Token);

        (await act.Should().ThrowAsync<ArgumentException>("a value is an unsigned 256-bit integer; -1 has no encoding"))
            .WithParameterName("value");
        requests.Count.Should().Be(before, "the value is checked before anything is asked of the node or signed");
    }

    [Fact]
    public async Task TransferAsync_refuses_a_null_recipient_instead_of_creating_a_contract()
    {
        var from = EthKeys.AddressFromPrivateKey(Key);
        var nonce = await Rpc.GetTransactionCountAsync(from, "pending", Token);

        var act = () => Sender.TransferAsync(Key, null!, OneEther, Token);

        (await act.Should().ThrowAsync<ArgumentNullException>(
            "a transaction without `to` creates a contract: a transfer with no recipient would send the ether to a new, empty contract that nobody can ever spend from"))
            .WithParameterName("to");
        (await Rpc.GetTransactionCountAsync(from, "pending", Token)).Should().Be(nonce, "nothing was sent");
    }

    [Fact]
    public async Task Null_and_empty_arguments_are_refused_by_name()
    {
        var sendWithoutData = () => Sender.SendAsync(Key, FreshAddress(), 1, null!, Token);
        (await sendWithoutData.Should().ThrowAsync<ArgumentNullException>("no data is an empty array, not null")).WithParameterName("data");

        var waitForNull = () => Sender.WaitForReceiptAsync(null!, Token);
        (await waitForNull.Should().ThrowAsync<ArgumentNullException>("there is no receipt to wait for without a hash")).WithParameterName("transactionHash");

        var waitForEmpty = () => Sender.WaitForReceiptAsync("", Token);
        (await waitForEmpty.Should().ThrowAsync<ArgumentException>("an empty hash names no transaction")).WithParameterName("transactionHash");

        var withoutClient = () => new TransactionSender(null!);
        withoutClient.Should().Throw<ArgumentNullException>("a sender needs a node to talk to").WithParameterName("rpc");
    }

    [Fact]
    public async Task The_fees_are_the_nodes_tip_and_twice_the_latest_base_fee_plus_the_tip_and_the_gas_limit_is_the_estimate()
    {
        // The latest block at the time of sending is the parent of the one that mines it only on an automining node.
        Chain.SkipUnlessCheats();
        var tip = EthRpcClient.ParseQuantity((await Rpc.CallAsync("eth_maxPriorityFeePerGas", [], Token)).GetString()!);

        var hash = await Sender.SendAsync(Key, FreshAddress(), 1, [], Token);
        var receipt = await Sender.WaitForReceiptAsync(hash, Token);

        var parent = await Rpc.CallAsync("eth_getBlockByNumber", ["0x" + (receipt.BlockNumber - 1).ToString("x"), false], Token);
        var baseFee = EthRpcClient.ParseQuantity(parent.GetProperty("baseFeePerGas").GetString()!);
        var transaction = await Rpc.CallAsync("eth_getTransactionByHash", [hash], Token);
        EthRpcClient.ParseQuantity(transaction.GetProperty("maxPriorityFeePerGas").GetString()!).Should().Be(tip,
            "the tip is what the node suggests (eth_maxPriorityFeePerGas)");
        EthRpcClient.ParseQuantity(transaction.GetProperty("maxFeePerGas").GetString()!).Should().Be((2 * baseFee) + tip,
            "maxFeePerGas = 2 * the latest base fee + the tip: the base fee can grow 12.5% a block, so 2x survives six full blocks");
        EthRpcClient.ParseQuantity(transaction.GetProperty("gas").GetString()!).Should().Be(new BigInteger(21000),
            "the gas limit is eth_estimateGas of this very call: 21000 for a plain transfer to an account without code, 53000 if `to` was left out of the estimate (it then prices a contract creation)");
    }

    // Hex value encoding of the Ethereum JSON-RPC spec (https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding,
    // and EIP-1474): "0x41 (65 in decimal)", "0x400 (1024 in decimal)", "WRONG: 0x (should always have at least one digit -
    // zero is "0x0")", "WRONG: 0x0400 (no leading zeroes allowed)". 255 is the trap of a signed hex format: "0ff".
    [Theory]
    [InlineData(0, "0x0")]
    [InlineData(65, "0x41")]
    [InlineData(255, "0xff")]
    [InlineData(1024, "0x400")]
    public async Task The_gas_estimate_is_asked_for_this_call_with_the_value_as_a_JSON_RPC_quantity(int wei, string quantity)
    {
        var recipient = FreshAddress();

        var receipt = await Sender.TransferAsync(Key, recipient, wei, Token);

        receipt.Succeeded.Should().BeTrue();
        var estimate = requests.Calls("eth_estimateGas").Should().ContainSingle("the gas limit is estimated once, for the call being sent").Which;
        estimate.GetProperty("value").GetString().Should().Be(quantity,
            "a QUANTITY is 0x and the fewest hex digits: zero is 0x0, never 0x, and no leading zeros");
        estimate.GetProperty("to").GetString().Should().BeEquivalentTo(recipient, "the estimate is for a call to the recipient");
        estimate.GetProperty("from").GetString().Should().BeEquivalentTo(EthKeys.AddressFromPrivateKey(Key), "the estimate is for a call from the sender");
        estimate.GetProperty("data").GetString().Should().Be("0x", "a transfer carries no data: DATA of no bytes is 0x");
    }

    [Fact]
    public async Task SendAsync_without_a_recipient_creates_a_contract()
    {
        // Init code of one byte, STOP: the constructor returns nothing, so the new account has no code, but it exists.
        var hash = await Sender.SendAsync(Key, null, 0, [0x00], Token);
        var receipt = await Sender.WaitForReceiptAsync(hash, Token);

        receipt.Succeeded.Should().BeTrue("a creation whose init code stops at once succeeds");
        receipt.To.Should().BeNull("a creation has no recipient: the transaction's `to` is empty, not the zero address");
        receipt.ContractAddress.Should().NotBeNull("the receipt of a creation names the new contract's address");
    }

    [Fact]
    public async Task WaitForReceiptAsync_polls_100_times_100_ms_apart_on_the_given_clock_then_gives_up()
    {
        var clock = new ObservableTimeProvider();
        var sender = new TransactionSender(Rpc, clock);
        var polls = () => requests.Calls("eth_getTransactionReceipt").Count;

        var wait = sender.WaitForReceiptAsync("0x" + new string('0', 64), Token); // no transaction has this hash

        for (var poll = 1; poll <= 100; poll++)
        {
            // A fixed point, never a guess: either the wait starts a timer on our clock, or it has finished.
            var next = clock.NextDelayAsync(Token);
            (await Task.WhenAny(next, wait)).Should().BeSameAs(next,
                "after poll {0} the wait waits for the next one on the clock it was given (Task.Delay on the real clock, or none, is not the interval)", poll);
            polls().Should().Be(poll, "one poll, then one wait");
            (await next).Should().Be(TimeSpan.FromMilliseconds(100), "polls are 100 ms apart");
            clock.Advance(TimeSpan.FromMilliseconds(99));
            polls().Should().Be(poll, "the next poll is not sent before the interval is over");
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var extra = clock.NextDelayAsync(Token);
        (await Task.WhenAny(extra, wait)).Should().BeSameAs(wait, "after the 100th poll and its interval the wait gives up instead of polling again");
        var outcome = () => wait;
        await outcome.Should().ThrowAsync<TimeoutException>("a transaction that never appears must end the wait with an error, not hang");
        polls().Should().Be(100, "the bound is 100 polls");
        sender.Time.Should().BeSameAs(clock, "the clock given is the one used");
        Sender.Time.Should().BeSameAs(TimeProvider.System, "without a clock, the system clock");
    }

    [Fact]
    public async Task WaitForReceiptAsync_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => Sender.WaitForReceiptAsync("0x" + new string('0', 64), cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>("a wait for a receipt that never comes must end when the caller gives up");
    }
}

/// <summary>Records the JSON-RPC requests that pass through it (single calls, not batches) before sending them on.</summary>
internal sealed class RequestRecorder : DelegatingHandler
{
    private readonly List<JsonElement> sent = [];

    /// <summary>How many requests were sent so far.</summary>
    public int Count
    {
        get
        {
            lock (sent)
            {
                return sent.Count;
            }
        }
    }

    /// <summary>The params of every call of <paramref name="method"/>, in order.</summary>
    public IReadOnlyList<JsonElement> Calls(string method)
    {
        lock (sent)
        {
            return [.. sent.Where(r => r.ValueKind == JsonValueKind.Object && r.GetProperty("method").GetString() == method)
                .Select(r => r.GetProperty("params")[0])];
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
            var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            lock (sent)
            {
                sent.Add(body);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>A <see cref="FakeTimeProvider"/> that reports every timer created on it (Task.Delay on it creates one).</summary>
internal sealed class ObservableTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        timers.Writer.TryWrite(dueTime); // after the timer exists, so Advance will fire it
        return timer;
    }

    /// <summary>Completes with the due time of the next timer the code under test creates.</summary>
    public Task<TimeSpan> NextDelayAsync(CancellationToken cancellationToken) => timers.Reader.ReadAsync(cancellationToken).AsTask();
}
