using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nethereum.ABI;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Koans.Ethereum.TimeAndStorage;

/// <summary>
/// TimeLockVault's <c>StillLocked(uint256 currentTime, uint256 unlockTime)</c> revert, decoded from the node's error data.
/// </summary>
public sealed class StillLockedException(BigInteger currentTime, BigInteger unlockTime)
    : InvalidOperationException($"The vault is still locked: block time {currentTime}, unlocks at {unlockTime} ({unlockTime - currentTime} s to go).")
{
    /// <summary>block.timestamp of the block the withdrawal was simulated in.</summary>
    public BigInteger CurrentTime { get; } = currentTime;

    /// <summary>The vault's unlockTime.</summary>
    public BigInteger UnlockTime { get; } = unlockTime;
}

/// <summary>Reference solution for ethereum.time-and-storage.</summary>
public sealed class StorageAndClock(IWeb3 web3)
{
    private const int Word = 32;

    // The first 4 bytes of keccak256("StillLocked(uint256,uint256)"): how a custom error is told apart in revert data.
    private static readonly byte[] StillLockedSelector = Selector("StillLocked(uint256,uint256)");

    public IWeb3 Web3 { get; } = web3 ?? throw new ArgumentNullException(nameof(web3));

    public static BigInteger SlotOf(JsonElement storageLayout, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        foreach (var variable in storageLayout.GetProperty("storage").EnumerateArray())
        {
            if (variable.GetProperty("label").GetString() == label)
            {
                // solc writes slots as decimal strings: a slot can be a 256-bit number (keccak-derived layouts).
                return BigInteger.Parse(variable.GetProperty("slot").GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        var known = string.Join(", ", storageLayout.GetProperty("storage").EnumerateArray().Select(v => v.GetProperty("label").GetString()));
        throw new ArgumentException($"The storage layout has no variable '{label}' (it has: {known}).", nameof(label));
    }

    public static BigInteger MappingSlot(string key, BigInteger mappingSlot)
    {
        CheckSlot(mappingSlot, nameof(mappingSlot));
        if (key is null || key.Length != 42 || !key.StartsWith("0x", StringComparison.Ordinal) || !key[2..].All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{key}' is not an address: 0x and 40 hex digits.", nameof(key));
        }

        // keccak256(h(k) . p): for a value-type key, h(k) is k padded to 32 bytes exactly as the ABI encodes it.
        var preimage = new ABIEncode().GetABIEncoded(new ABIValue("address", key), new ABIValue("uint256", mappingSlot));
        return UInt256(Sha3Keccack.Current.CalculateHash(preimage));
    }

    public async Task<byte[]> ReadSlotAsync(string contract, BigInteger slot, CancellationToken cancellationToken = default)
    {
        CheckSlot(slot, nameof(slot));
        cancellationToken.ThrowIfCancellationRequested();
        var word = await Web3.Eth.GetStorageAt.SendRequestAsync(contract, new HexBigInteger(slot), BlockParameter.CreateLatest()).ConfigureAwait(false);
        return Convert.FromHexString(word.AsSpan(2));
    }

    public static BigInteger WordToUInt256(byte[] word)
    {
        CheckWord(word);
        return UInt256(word);
    }

    public static string WordToAddress(byte[] word)
    {
        CheckWord(word);
        // An address is 20 bytes, right-aligned: the 12 leading bytes belong to nobody (or, in a packed slot, to the
        // variables declared after it; TimeLockVault has none).
        return "0x" + Convert.ToHexStringLower(word.AsSpan(12));
    }

    public async Task<ulong> AdvanceTimeAsync(long seconds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        cancellationToken.ThrowIfCancellationRequested();
        // Nethereum has no typed wrapper for Anvil's cheat methods: its client sends any method.
        await Web3.Client.SendRequestAsync<object>(new RpcRequest(1, "evm_increaseTime", seconds)).ConfigureAwait(false);
        // The offset applies to blocks mined from now on: without a new block, "latest" still has the old timestamp.
        await Web3.Client.SendRequestAsync<object>(new RpcRequest(2, "evm_mine")).ConfigureAwait(false);
        var block = await Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).ConfigureAwait(false);
        return (ulong)block.Timestamp.Value;
    }

    public async Task<TransactionReceipt> WithdrawAsync(string vault, CancellationToken cancellationToken = default)
    {
        var withdraw = new TransactionInput
        {
            From = Web3.TransactionManager.Account.Address,
            To = vault,
            Data = "0x" + Convert.ToHexStringLower(Selector("withdraw()")),
            Value = new HexBigInteger(BigInteger.Zero),
        };
        try
        {
            // The estimate runs withdraw() on the latest state: a locked vault reverts here, before anything is signed.
            withdraw.Gas = await Web3.TransactionManager.EstimateGasAsync(withdraw).ConfigureAwait(false);
        }
        catch (RpcResponseException e) when (RevertData(e) is { } data && data.Length == 4 + (2 * Word) && data.AsSpan(0, 4).SequenceEqual(StillLockedSelector))
        {
            throw new StillLockedException(
                UInt256(data.AsSpan(4, Word)),
                UInt256(data.AsSpan(4 + Word, Word)));
        }

        return await Web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(withdraw, cancellationToken).ConfigureAwait(false);
    }

    // Anvil and geth put the revert data in error.data as a 0x string (code 3, "execution reverted").
    private static byte[]? RevertData(RpcResponseException e) =>
        e.RpcError?.GetDataAsString() is { Length: >= 2 } hex && hex.StartsWith("0x", StringComparison.Ordinal) && hex.Length % 2 == 0
            ? Convert.FromHexString(hex.AsSpan(2))
            : null;

    // Every 32-byte word here (a slot number, a storage word, an ABI-encoded uint256) is big-endian and unsigned.
    private static BigInteger UInt256(ReadOnlySpan<byte> word) => new(word, isUnsigned: true, isBigEndian: true);

    private static byte[] Selector(string signature) => Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes(signature))[..4];

    private static void CheckSlot(BigInteger slot, string name)
    {
        if (slot.Sign < 0 || slot >= BigInteger.One << 256)
        {
            throw new ArgumentOutOfRangeException(name, slot, "A storage slot is a 256-bit unsigned number.");
        }
    }

    private static void CheckWord(byte[] word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length != Word)
        {
            throw new ArgumentException($"A storage word is 32 bytes, not {word.Length}.", nameof(word));
        }
    }
}
