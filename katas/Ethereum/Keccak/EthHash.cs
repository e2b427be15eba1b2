namespace Koans.Ethereum.Keccak;

/// <summary>
/// Kata ethereum.keccak: Ethereum's hash, and the two things every contract call and every log is addressed by.
/// </summary>
/// <remarks>
/// <para>Ethereum hashes with <b>Keccak-256</b>: the Keccak submission as it stood <em>before</em> NIST standardized
/// SHA-3 (FIPS 202, https://csrc.nist.gov/pubs/fips/202/final). The two functions share the permutation but not the
/// padding, so they give different digests for every input, the empty one included. The tests check your digests
/// against the published Ethereum values (Keccak-256 of the empty string, the ERC-20 selectors and topics).</para>
/// <list type="bullet">
/// <item><description>A <b>function selector</b> is the first 4 bytes of Keccak-256 of the ASCII <em>canonical</em>
/// signature, for example <c>transfer(address,uint256)</c>: no spaces, no parameter names, and the canonical type
/// names (<c>uint256</c>, never its alias <c>uint</c>). A non-canonical signature still hashes, to the selector of
/// a function that does not exist, so it is rejected up front.</description></item>
/// <item><description>An <b>event topic</b> (<c>topics[0]</c> of a log) is the full 32-byte Keccak-256 of the
/// canonical event signature, for example <c>Transfer(address,address,uint256)</c>.</description></item>
/// <item><description>Hex strings are lowercase with a <c>0x</c> prefix.</description></item>
/// </list>
/// </remarks>
public static class EthHash
{
    /// <summary>Keccak-256 (original Keccak padding, not SHA3-256) of <paramref name="data"/>: 32 bytes.</summary>
    public static byte[] Keccak256(ReadOnlySpan<byte> data) => throw new NotImplementedException();

    /// <summary>
    /// The 4-byte selector of a canonical function signature, as <c>0x</c> and 8 lowercase hex digits.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is null.</exception>
    /// <exception cref="FormatException">The signature is not canonical: it contains whitespace, lacks
    /// <c>name(...)</c> form, or uses the alias <c>uint</c> / <c>int</c> instead of <c>uint256</c> / <c>int256</c>.</exception>
    public static string FunctionSelector(string signature) => throw new NotImplementedException();

    /// <summary>
    /// The topic of a canonical event signature: <c>0x</c> and 64 lowercase hex digits. Same validation as
    /// <see cref="FunctionSelector"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is null.</exception>
    /// <exception cref="FormatException">The signature is not canonical.</exception>
    public static string EventTopic(string signature) => throw new NotImplementedException();
}
