using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;
using Koans.Ethereum.Transfer;

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
public sealed class StorageAndClock(TransactionSender sender)
{
    private const int Word = 32;
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    // The first 4 bytes of keccak256("StillLocked(uint256,uint256)"): how a custom error is told apart in revert data.
    private static readonly byte[] StillLockedSelector = Convert.FromHexString(EthHash.FunctionSelector("StillLocked(uint256,uint256)").AsSpan(2));

    public TransactionSender Sender { get; } = sender ?? throw new ArgumentNullException(nameof(sender));

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
        var preimage = AbiCodec.Encode(["address", "uint256"], [key, mappingSlot]);
        return new BigInteger(EthHash.Keccak256(preimage), isUnsigned: true, isBigEndian: true);
    }

    public async Task<byte[]> ReadSlotAsync(string contract, BigInteger slot, CancellationToken cancellationToken = default)
    {
        CheckSlot(slot, nameof(slot));
        var word = (await Sender.Rpc.CallAsync("eth_getStorageAt", [contract, Quantity(slot), "latest"], cancellationToken).ConfigureAwait(false)).GetString()!;
        return Convert.FromHexString(word.AsSpan(2));
    }

    public static BigInteger WordToUInt256(byte[] word)
    {
        CheckWord(word);
        return new BigInteger(word, isUnsigned: true, isBigEndian: true);
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
        await Sender.Rpc.CallAsync("evm_increaseTime", [seconds], cancellationToken).ConfigureAwait(false);
        // The offset applies to blocks mined from now on: without a new block, "latest" still has the old timestamp.
        await Sender.Rpc.CallAsync("evm_mine", [], cancellationToken).ConfigureAwait(false);
        var block = await Sender.Rpc.CallAsync("eth_getBlockByNumber", ["latest", false], cancellationToken).ConfigureAwait(false);
        return (ulong)EthRpcClient.ParseQuantity(block.GetProperty("timestamp").GetString()!);
    }

    public async Task<TransactionReceipt> WithdrawAsync(string ownerPrivateKeyHex, string vault, CancellationToken cancellationToken = default)
    {
        string hash;
        try
        {
            hash = await Sender.SendAsync(ownerPrivateKeyHex, vault, BigInteger.Zero, AbiCodec.EncodeCall("withdraw()"), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e) when (RevertData(e) is { } data && data.Length == 4 + (2 * Word) && data.AsSpan(0, 4).SequenceEqual(StillLockedSelector))
        {
            var args = AbiCodec.Decode(["uint256", "uint256"], data.AsSpan(4));
            throw new StillLockedException((BigInteger)args[0], (BigInteger)args[1]);
        }

        return await Sender.WaitForReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
    }

    // Anvil and geth put the revert data in error.data as a 0x string (code 3, "execution reverted").
    private static byte[]? RevertData(JsonRpcException e) =>
        e.ErrorData is { ValueKind: JsonValueKind.String } data && data.GetString() is { Length: >= 2 } hex && hex.StartsWith("0x", StringComparison.Ordinal)
            ? Convert.FromHexString(hex.AsSpan(2))
            : null;

    private static void CheckSlot(BigInteger slot, string name)
    {
        if (slot.Sign < 0 || slot >= TwoTo256)
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

    private static string Quantity(BigInteger value) =>
        value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
}
