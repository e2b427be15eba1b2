using System.Numerics;
using System.Security.Cryptography;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.KeysToAddress;
using Koans.Testing.Chain;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.Transfer;

public class TransactionSenderTests(AnvilFixture chain) : ChainTest(chain), IDisposable
{
    private static readonly BigInteger OneEther = BigInteger.Pow(10, 18);
    private readonly HttpClient http = new();

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

    [Fact]
    public async Task SendAsync_rejects_a_malformed_recipient_before_signing()
    {
        var act = () => Sender.SendAsync(Key, "0x1234", 1, [], Token);

        await act.Should().ThrowAsync<ArgumentException>("a 2-byte recipient would be sent as a different address; refuse it before signing anything");
    }

    [Fact]
    public async Task SendAsync_rejects_a_negative_value()
    {
        var act = () => Sender.SendAsync(Key, FreshAddress(), -1, [], Token);

        await act.Should().ThrowAsync<ArgumentException>("a value is an unsigned 256-bit integer; -1 has no encoding");
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
