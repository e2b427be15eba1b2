using System.Numerics;
using System.Text.Json;
using Nethereum.RPC.Eth.DTOs;
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

/// <summary>
/// Kata ethereum.time-and-storage: read a contract's storage directly (a <c>private</c> variable is not secret) and move
/// the chain's clock to open a time lock.
/// </summary>
/// <remarks>
/// <para>The plumbing is Nethereum's: an <see cref="IWeb3"/> whose account signs (nonce, fees, receipts), its RPC client
/// for any method (the cheat methods too), its Keccak-256 and ABI encoder. The slots, the words and the revert data are
/// the kata: work them out from the bytes.</para>
/// <para>Storage is 2^256 slots of 32 bytes. Solidity places state variables in declaration order from slot 0 (the
/// compiler's <c>storageLayout</c> output says where each one went); a value type smaller than 32 bytes sits
/// right-aligned in its word. A <c>mapping</c> takes one slot <c>p</c> that stays empty; the value for key <c>k</c> lives
/// at <c>keccak256(pad32(k) ++ pad32(p))</c> (Solidity docs, "Layout of State Variables in Storage",
/// https://docs.soliditylang.org/en/latest/internals/layout_in_storage.html).</para>
/// <para><c>private</c> only stops other contracts' Solidity code from reading a variable. Every full node stores it in
/// the clear and <c>eth_getStorageAt</c> returns it to anyone.</para>
/// <para>This is library code: a caller may start any method on its <see cref="SynchronizationContext"/> (a UI thread),
/// and no method may resume on that context after an await (each hop back queues behind the UI, and a caller that
/// blocks on the task deadlocks).</para>
/// </remarks>
public sealed class StorageAndClock(IWeb3 web3)
{
    /// <summary>The connection; its account sends the withdrawal.</summary>
    public IWeb3 Web3 { get; } = web3 ?? throw new ArgumentNullException(nameof(web3));

    /// <summary>
    /// The slot of the state variable <paramref name="label"/> in a solc <c>storageLayout</c> (the artifact's
    /// <c>storageLayout</c>: <c>{"storage": [{"label": "owner", "slot": "0", "offset": 0, ...}], "types": {...}}</c>).
    /// Note that solc writes the slot as a decimal string, and that a slot is any uint256: a contract laid out at an
    /// ERC-7201 namespace (or with solc 0.8.29's <c>layout at</c>) has slots near 2^256.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    /// <exception cref="ArgumentException">No variable of that name: guessing a slot reads some other variable's bytes, silently.</exception>
    public static BigInteger SlotOf(JsonElement storageLayout, string label) =>
        throw new NotImplementedException();

    /// <summary>
    /// The slot of <c>mapping(address =&gt; ...)[key]</c> for a mapping declared at <paramref name="mappingSlot"/>:
    /// keccak256 of the key left-padded to 32 bytes followed by the slot as a 32-byte big-endian word.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or not 0x and 40 hex digits (either case).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mappingSlot"/> is negative or not below 2^256.</exception>
    public static BigInteger MappingSlot(string key, BigInteger mappingSlot) =>
        throw new NotImplementedException();

    /// <summary>
    /// The 32-byte word at <paramref name="slot"/> of <paramref name="contract"/> at the latest block, with
    /// <c>eth_getStorageAt(contract, slot as a QUANTITY, "latest")</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is negative or not below 2^256 (checked before any request).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled: nothing is requested.</exception>
    public Task<byte[]> ReadSlotAsync(string contract, BigInteger slot, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>A word read as a uint256: big-endian, unsigned.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    /// <exception cref="ArgumentException">The word is not 32 bytes (parameter <c>word</c>).</exception>
    public static BigInteger WordToUInt256(byte[] word) =>
        throw new NotImplementedException();

    /// <summary>A word read as an address: its last 20 bytes, "0x" and lowercase hex.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    /// <exception cref="ArgumentException">The word is not 32 bytes (parameter <c>word</c>).</exception>
    public static string WordToAddress(byte[] word) =>
        throw new NotImplementedException();

    /// <summary>
    /// Moves the chain's clock forward by <paramref name="seconds"/> with the development node's cheat RPC methods
    /// (Anvil's, documented at https://getfoundry.sh/anvil/reference/), and returns the timestamp of a block that shows
    /// the move: the latest block's timestamp must be at least <paramref name="seconds"/> later than before.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is negative: a chain's time never goes back (checked before any request).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled: the clock does not move and no block is mined.</exception>
    public Task<ulong> AdvanceTimeAsync(long seconds, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Calls the vault's <c>withdraw()</c> in a transaction from the account of <see cref="Web3"/> (the owner) and
    /// returns its receipt. Estimate the gas first: a withdrawal the node refuses because of
    /// <c>StillLocked(uint256,uint256)</c> (the revert data the node attaches to its error: the 4-byte selector, then the
    /// ABI-encoded arguments) becomes a
    /// <see cref="StillLockedException"/>; any other refusal stays the library's <c>RpcResponseException</c>.
    /// </summary>
    public Task<TransactionReceipt> WithdrawAsync(string vault, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
