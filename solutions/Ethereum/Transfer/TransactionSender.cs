using System.Numerics;
using Koans.Ethereum.Eip1559Tx;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.KeysToAddress;

namespace Koans.Ethereum.Transfer;

/// <summary>Reference solution for ethereum.transfer.</summary>
public sealed class TransactionSender(EthRpcClient rpc, TimeProvider? timeProvider = null)
{
    private const int ReceiptAttempts = 100;
    private static readonly TimeSpan ReceiptPollInterval = TimeSpan.FromMilliseconds(100);

    public EthRpcClient Rpc { get; } = rpc ?? throw new ArgumentNullException(nameof(rpc));

    public TimeProvider Time { get; } = timeProvider ?? TimeProvider.System;

    public async Task<string> SendAsync(string privateKeyHex, string? to, BigInteger value, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (to is not null && (to.Length != 42 || !to.StartsWith("0x", StringComparison.Ordinal) || !to[2..].All(Uri.IsHexDigit)))
        {
            throw new ArgumentException($"'{to}' is not an address: 0x and 40 hex digits.", nameof(to));
        }

        var from = EthKeys.AddressFromPrivateKey(privateKeyHex);
        var chainId = await Rpc.ChainIdAsync(cancellationToken);
        // "pending" counts this sender's transactions in the mempool: two sends in a row get consecutive nonces.
        var nonce = await Rpc.GetTransactionCountAsync(from, "pending", cancellationToken);
        var tip = Quantity(await Rpc.CallAsync("eth_maxPriorityFeePerGas", [], cancellationToken));
        var latest = await Rpc.CallAsync("eth_getBlockByNumber", ["latest", false], cancellationToken);
        var baseFee = Quantity(latest.GetProperty("baseFeePerGas"));
        var hexData = "0x" + Convert.ToHexStringLower(data);
        var call = new Dictionary<string, string> { ["from"] = from, ["value"] = Hex(value), ["data"] = hexData };
        if (to is not null)
        {
            call["to"] = to;
        }

        var gas = Quantity(await Rpc.CallAsync("eth_estimateGas", [call], cancellationToken));

        var transaction = new Eip1559Transaction(
            chainId, nonce, tip, (2 * baseFee) + tip, gas,
            to is null ? null : Convert.FromHexString(to.AsSpan(2)), value, data, []);
        var raw = Eip1559Signer.Sign(transaction, Convert.FromHexString(privateKeyHex.AsSpan(2)));
        var hash = await Rpc.CallAsync("eth_sendRawTransaction", ["0x" + Convert.ToHexStringLower(raw)], cancellationToken);
        return hash.GetString()!;
    }

    public async Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionHash);
        for (var attempt = 0; attempt < ReceiptAttempts; attempt++)
        {
            // A cancelled token stops the call itself (and the delay below): no separate check is needed.
            var receipt = await Rpc.CallAsync("eth_getTransactionReceipt", [transactionHash], cancellationToken);
            if (receipt.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                return TransactionReceipt.FromJson(receipt);
            }

            // null: not mined yet (Anvil mines at once; a real chain takes a block or more).
            await Task.Delay(ReceiptPollInterval, Time, cancellationToken);
        }

        throw new TimeoutException($"Transaction {transactionHash} was not mined after {ReceiptAttempts} polls.");
    }

    public async Task<TransactionReceipt> TransferAsync(string privateKeyHex, string to, BigInteger valueWei, CancellationToken cancellationToken = default)
    {
        // SendAsync reads a null `to` as a contract creation: a transfer refuses it, or the value would fund a new empty contract.
        ArgumentNullException.ThrowIfNull(to);
        var hash = await SendAsync(privateKeyHex, to, valueWei, [], cancellationToken);
        return await WaitForReceiptAsync(hash, cancellationToken);
    }

    private static BigInteger Quantity(System.Text.Json.JsonElement quantity) => EthRpcClient.ParseQuantity(quantity.GetString()!);

    // A JSON-RPC QUANTITY: 0x, the fewest hex digits, zero as 0x0. BigInteger's "x" format writes a leading 0 when the
    // top digit is 8-f (255 is "0ff"), because it is a signed format: trim it.
    private static string Hex(BigInteger value) => "0x" + (value.IsZero ? "0" : value.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0'));
}
