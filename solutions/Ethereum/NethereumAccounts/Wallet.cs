using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Koans.Ethereum.NethereumAccounts;

/// <summary>One payment of a batch: the recipient (0x + 40 hex digits) and the amount in wei.</summary>
public sealed record Payment(string To, BigInteger Wei);

/// <summary>Reference solution for ethereum.nethereum-accounts.</summary>
public static class Wallet
{
    private const int WeiDecimals = 18;

    public static Web3 Connect(string privateKey, Uri rpcUrl, BigInteger chainId)
    {
        ArgumentNullException.ThrowIfNull(rpcUrl);
        // An Account signs locally (AccountSignerTransactionManager); the chain id goes into every signature, so the
        // library never has to ask the node which chain it is talking to, and a wrong node cannot change it.
        var account = new Account(privateKey, chainId);
        return new Web3(account, rpcUrl.ToString());
    }

    public static BigInteger EtherToWei(decimal ether)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ether);
        // decimal keeps its scale, so "finer than one wei" is exactly "more than 18 digits after the point"
        // once trailing zeros are ignored: rounding to 18 places must not change the value.
        if (decimal.Round(ether, WeiDecimals) != ether)
        {
            throw new ArgumentException($"{ether} ether is finer than one wei (at most {WeiDecimals} digits after the point).", nameof(ether));
        }

        return Web3.Convert.ToWei(ether);
    }

    public static decimal WeiToEther(BigInteger wei)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wei);
        return Web3.Convert.FromWei(wei);
    }

    public static async Task<BigInteger> GetBalanceAsync(Web3 web3, string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        cancellationToken.ThrowIfCancellationRequested();
        return (await web3.Eth.GetBalance.SendRequestAsync(address).ConfigureAwait(false)).Value;
    }

    public static async Task<TransactionReceipt> SendEtherAsync(Web3 web3, string to, BigInteger wei, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentOutOfRangeException.ThrowIfNegative(wei);
        cancellationToken.ThrowIfCancellationRequested();
        // No GasPrice and no Nonce: the transaction manager then builds a type-2 transaction with its fee suggestion
        // (maxFeePerGas and maxPriorityFeePerGas), estimates the gas, and takes the next nonce from the account's
        // nonce service, which counts pending transactions.
        var receipt = await web3.TransactionManager
            .SendTransactionAndWaitForReceiptAsync(Transfer(web3, to, wei), cancellationToken)
            .ConfigureAwait(false);
        if (receipt.Status?.Value != BigInteger.One)
        {
            throw new InvalidOperationException($"Transaction {receipt.TransactionHash} was mined but failed (status 0): nothing was paid, the gas was.");
        }

        return receipt;
    }

    public static async Task<IReadOnlyList<string>> SubmitPaymentsAsync(Web3 web3, IReadOnlyList<Payment> payments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(payments);
        foreach (var payment in payments)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(payment.Wei);
        }

        var hashes = new List<string>(payments.Count);
        foreach (var payment in payments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Sequential on purpose: the account's InMemoryNonceService hands out pending-count, then +1, +2...
            // A nonce read from the "latest" block would give every one of them the same number.
            hashes.Add(await web3.TransactionManager.SendTransactionAsync(Transfer(web3, payment.To, payment.Wei)).ConfigureAwait(false));
        }

        return hashes;
    }

    private static TransactionInput Transfer(Web3 web3, string to, BigInteger wei) => new()
    {
        From = web3.TransactionManager.Account.Address,
        To = to,
        Value = new HexBigInteger(wei),
    };
}
