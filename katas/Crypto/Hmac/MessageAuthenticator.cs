namespace Koans.Crypto.Hmac;

/// <summary>
/// Kata crypto.hmac: authenticate messages with HMAC-SHA256 (RFC 2104, FIPS 198-1) and verify tags in constant time.
/// </summary>
/// <remarks>
/// <para>A hash says "these bytes were not changed by accident"; a MAC says "someone holding the key made these bytes".
/// HMAC-SHA256 takes a key of any length and a message, and returns a 32-byte tag.</para>
/// <list type="bullet">
/// <item><description>Compute with the base library's HMAC-SHA256, never with <c>SHA256(key || message)</c> built
/// yourself: that is open to length extension. The tests use RFC 4231's vectors.</description></item>
/// <item><description>A tag may be truncated to its leftmost bytes (RFC 4231 test case 5 truncates to 128 bits), but never
/// below <see cref="MinimumTagLength"/>: a short tag is a tag an attacker can guess.</description></item>
/// <item><description>Verify by recomputing the tag and comparing in constant time. <c>SequenceEqual</c> (or <c>==</c> on strings) returns at the first
/// differing byte, so its running time tells an attacker how many leading bytes of a forged tag are right, and they can
/// forge a tag byte by byte.</description></item>
/// </list>
/// </remarks>
public static class MessageAuthenticator
{
    /// <summary>The shortest tag accepted: 16 bytes (128 bits).</summary>
    public const int MinimumTagLength = 16;

    /// <summary>The full HMAC-SHA256 tag length: 32 bytes.</summary>
    public const int FullTagLength = 32;

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under <paramref name="key"/>: 32 bytes.</summary>
    public static byte[] ComputeTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message) => throw new NotImplementedException();

    /// <summary>The leftmost <paramref name="tagLength"/> bytes of the HMAC-SHA256 tag (RFC 2104 section 5).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tagLength"/> is below <see cref="MinimumTagLength"/>
    /// or above <see cref="FullTagLength"/>.</exception>
    public static byte[] ComputeTruncatedTag(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, int tagLength) =>
        throw new NotImplementedException();

    /// <summary>
    /// True when <paramref name="tag"/> is the HMAC-SHA256 tag of <paramref name="message"/> under <paramref name="key"/>,
    /// or its leftmost <c>tag.Length</c> bytes. Returns false (never throws) for a wrong tag, a wrong key, or a tag shorter
    /// than <see cref="MinimumTagLength"/> or longer than <see cref="FullTagLength"/>. The comparison takes the same time
    /// however many leading bytes are right.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> tag) =>
        throw new NotImplementedException();
}
