namespace Koans.Crypto.LengthExtension;

/// <summary>A forged message and the tag that goes with it.</summary>
public sealed record ForgedMessage(byte[] Message, byte[] Tag);

/// <summary>
/// Kata crypto.length-extension, part 1: SHA-256 message padding (FIPS 180-4 section 5.1.1). Before hashing, SHA-256
/// appends padding to the message so that its length becomes a multiple of 64 bytes, and the padding encodes the
/// message's length. An attacker who extends a hashed message must reproduce exactly the padding the victim's hash
/// appended: it becomes part of the forged message.
/// </summary>
public static class Sha256Padding
{
    /// <summary>
    /// Returns the bytes SHA-256 appends to a message of <paramref name="messageLength"/> bytes, as FIPS 180-4
    /// section 5.1.1 specifies for SHA-256 (a message whose length in bits is a multiple of 8).
    /// </summary>
    /// <returns>Between 9 and 72 bytes; the message length plus their count is a multiple of 64.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="messageLength"/> is negative, or 2^61 bytes or
    /// more (SHA-256 is defined for messages shorter than 2^64 bits).</exception>
    public static byte[] For(long messageLength) => throw new NotImplementedException();
}

/// <summary>
/// Kata crypto.length-extension, part 2: the length-extension attack on <c>SHA256(secret || message)</c>.
/// </summary>
/// <remarks>
/// <para>A Merkle-Damgard hash such as SHA-256 outputs its entire internal state: the digest is the chaining value
/// after the last (padded) block. Whoever has the digest can therefore carry on hashing from there, without knowing
/// what was hashed, as long as they know how long it was (the padding depends on the length). So from
/// <c>tag = SHA256(secret || message)</c> and the secret's <em>length</em> alone, an attacker computes a valid tag for
/// <c>message || padding || extension</c>.</para>
/// <para>Use <see cref="Sha256Compression"/> for the compression function and <see cref="Sha256Padding"/> for the
/// padding; the rest is the lesson. HMAC (<see cref="HmacSha256Mac"/>) is immune: the same forgery is rejected.</para>
/// </remarks>
public static class LengthExtensionAttack
{
    /// <summary>
    /// Forges a message that starts with <paramref name="originalMessage"/> and ends with <paramref name="extension"/>,
    /// and its tag under <c>SHA256(secret || message)</c>, knowing only the original tag and the secret's length.
    /// </summary>
    /// <param name="originalMessage">A message the server signed.</param>
    /// <param name="originalTag">Its 32-byte tag.</param>
    /// <param name="secretLength">The length of the server's secret in bytes (an attacker tries each plausible value).</param>
    /// <param name="extension">The bytes to append.</param>
    /// <returns>The forged message (original, the glue padding, the extension) and its tag.</returns>
    /// <exception cref="ArgumentException"><paramref name="originalTag"/> is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="secretLength"/> is negative.</exception>
    public static ForgedMessage Forge(byte[] originalMessage, byte[] originalTag, int secretLength, byte[] extension) =>
        throw new NotImplementedException();
}
