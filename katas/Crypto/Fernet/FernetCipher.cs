using System.Security.Cryptography;

namespace Koans.Crypto.Fernet;

/// <summary>A Fernet token that is malformed, forged, encrypted under another key, or outside its time window.</summary>
public sealed class InvalidTokenException : CryptographicException
{
    public InvalidTokenException()
        : base("The Fernet token is invalid.")
    {
    }

    public InvalidTokenException(string message)
        : base(message)
    {
    }

    public InvalidTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Kata crypto.fernet: the Fernet token format (github.com/fernet/spec, Spec.md), as in Python's
/// <c>cryptography.fernet</c>: AES-128-CBC encrypt-then-MAC with HMAC-SHA256, and a timestamp for expiry.
/// </summary>
/// <remarks>
/// <para>The key is 32 bytes in URL-safe base64: the first 16 bytes are the <b>signing key</b>, the last 16 the
/// <b>encryption key</b>. A token is the URL-safe base64 (with '=' padding) of:</para>
/// <code>
/// Version (1 byte, 0x80) || Timestamp (8 bytes, big-endian Unix seconds) || IV (16 bytes)
///   || Ciphertext (AES-128-CBC, PKCS#7 padding, a multiple of 16 bytes) || HMAC (32 bytes)
/// </code>
/// <para>The HMAC is HMAC-SHA256 under the signing key over everything before it. Build the construction yourself from
/// the platform's AES-CBC and HMAC-SHA256 primitives (no Fernet library): that is the lesson.</para>
/// <para>To decrypt, in this order: decode strictly (only A-Z a-z 0-9 '-' '_' and trailing '=': '+' and '/' are not
/// URL-safe and are rejected), check the length and the version byte, check the timestamp (not more than
/// <see cref="MaxClockSkew"/> in the future; with a time-to-live, not older than it), then verify the HMAC with
/// a constant-time comparison <em>before</em> decrypting, then decrypt and unpad. Checking the
/// MAC first means a forged token never reaches the padding check, so there is no padding oracle.</para>
/// <para>Every failure throws <see cref="InvalidTokenException"/> (never a <c>FormatException</c> or a padding error
/// that tells an attacker which check failed). The clock is the injected <see cref="TimeProvider"/>.</para>
/// </remarks>
public sealed class FernetCipher
{
    /// <summary>How far in the future a token's timestamp may be (the issuer's clock may run ahead): 60 seconds.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>A cipher for one key, reading the time from <paramref name="timeProvider"/>.</summary>
    /// <param name="key">32 bytes in URL-safe base64 (44 characters with padding), as made by <see cref="GenerateKey"/>.</param>
    /// <param name="timeProvider">The clock: <see cref="TimeProvider.System"/> in production, a fake in tests.</param>
    /// <exception cref="FormatException"><paramref name="key"/> is not 32 bytes of URL-safe base64.</exception>
    public FernetCipher(string key, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);
    }

    /// <summary>A new key: 32 bytes from a cryptographically secure random source, URL-safe base64 with padding.</summary>
    public static string GenerateKey() => throw new NotImplementedException();

    /// <summary>Encrypts <paramref name="plaintext"/> into a token stamped with the current time, under a fresh random IV.</summary>
    public string Encrypt(ReadOnlySpan<byte> plaintext) => throw new NotImplementedException();

    /// <summary>
    /// As <see cref="Encrypt(ReadOnlySpan{byte})"/> with a caller-chosen 16-byte IV: only for the spec's generate vector.
    /// A fixed IV in production would make equal plaintexts visible.
    /// </summary>
    internal string Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv) => throw new NotImplementedException();

    /// <summary>Verifies and decrypts <paramref name="token"/>.</summary>
    /// <param name="token">A Fernet token.</param>
    /// <param name="timeToLive">When given, reject tokens whose timestamp is more than this much in the past.</param>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    /// <exception cref="InvalidTokenException">Bad base64 (Spec.md's base64url with '=' padding, nothing else: no
    /// whitespace, no '+' or '/'), too short, wrong version, timestamp too far in the future,
    /// expired, bad HMAC (tampered or another key), ciphertext not a whole number of blocks, or bad padding.</exception>
    public byte[] Decrypt(string token, TimeSpan? timeToLive = null) => throw new NotImplementedException();
}
