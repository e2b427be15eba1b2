namespace Koans.Ethereum.LegacyTx;

/// <summary>
/// Kata ethereum.legacy-tx: sign a legacy transaction with EIP-155 replay protection, byte for byte.
/// </summary>
/// <remarks>
/// <para>A legacy transaction is <c>rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])</c>. Integers are
/// RLP integers (big-endian, no leading zeros, zero is the empty string 0x80); <c>to</c> is the 20 address bytes, or
/// the empty string for a contract creation; <c>data</c> is a byte string.</para>
/// <para><b>EIP-155</b> (https://eips.ethereum.org/EIPS/eip-155, whose example the tests reproduce): sign keccak256 of the <b>signing data</b> <c>rlp([nonce, gasPrice, gasLimit, to, value,
/// data, chainId, 0, 0])</c>, then put <c>v = chainId * 2 + 35 + recoveryId</c> (so 37 or 38 on mainnet). Before
/// EIP-155 the chain was not in the signature (v = 27/28): when Ethereum Classic split off in July 2016, every
/// transaction was valid on both chains and could be <em>replayed</em> on the other. Sign with secp256k1,
/// deterministic RFC 6979 k and low s, as in ethereum.sign-recover; RLP you write here (this kata is its own
/// project).</para>
/// <para>Recovering the sender checks v against the expected chain: a v of 27/28 (unprotected) or one for another
/// chain is an <see cref="ArgumentException"/>. Malformed bytes (not an RLP list of nine, truncated, non-canonical
/// integers) are a <see cref="FormatException"/>.</para>
/// </remarks>
public static class LegacyTxSigner
{
    /// <summary>The EIP-155 signing data: <c>rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chainId"/> is 0, or a field is negative.</exception>
    /// <exception cref="ArgumentException"><c>To</c> is neither null nor 20 bytes.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="transaction"/> is null (named).</exception>
    public static byte[] SigningData(LegacyTransaction transaction, ulong chainId) => throw new NotImplementedException();

    /// <summary>keccak256 of <see cref="SigningData"/>.</summary>
    public static byte[] SigningHash(LegacyTransaction transaction, ulong chainId) => throw new NotImplementedException();

    /// <summary>The raw signed transaction <c>rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])</c>.</summary>
    /// <exception cref="ArgumentException">As <see cref="SigningData"/>; or <paramref name="privateKey"/> is not 32
    /// bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="SigningData"/>; or <paramref name="privateKey"/> is 0
    /// or not below the curve order n (naming <c>privateKey</c>).</exception>
    public static byte[] Sign(LegacyTransaction transaction, ulong chainId, ReadOnlySpan<byte> privateKey) =>
        throw new NotImplementedException();

    /// <summary>Decodes a raw signed legacy transaction.</summary>
    /// <exception cref="FormatException">Not a canonical RLP list of nine byte strings with valid field sizes, spanning
    /// the whole input: truncated, trailing bytes, a nested list, a length in the long form that fits the short one or
    /// has a leading zero, a single byte below 0x80 behind a prefix, an integer with a leading zero byte, a <c>to</c>
    /// that is neither empty nor 20 bytes. The bytes come from the network: no other exception, whatever they are.</exception>
    public static SignedLegacyTransaction Decode(ReadOnlySpan<byte> raw) => throw new NotImplementedException();

    /// <summary>The EIP-55 address that signed <paramref name="raw"/> for <paramref name="expectedChainId"/>.</summary>
    /// <exception cref="FormatException">As <see cref="Decode"/>.</exception>
    /// <exception cref="ArgumentException">v is not <c>expectedChainId * 2 + 35</c> or <c>+ 36</c> (unprotected, or
    /// signed for another chain), or r / s are invalid (zero, not below n, high s).</exception>
    public static string RecoverSender(ReadOnlySpan<byte> raw, ulong expectedChainId) => throw new NotImplementedException();
}
