namespace Koans.Crypto.Aead;

/// <summary>The AEAD algorithm an envelope was sealed with; its value is the envelope's second byte.</summary>
public enum EnvelopeAlgorithm : byte
{
    /// <summary>AES-256-GCM (NIST SP 800-38D).</summary>
    Aes256Gcm = 1,

    /// <summary>ChaCha20-Poly1305 (RFC 8439).</summary>
    ChaCha20Poly1305 = 2,
}

/// <summary>
/// Kata crypto.aead: authenticated encryption behind one versioned envelope format.
/// </summary>
/// <remarks>
/// <para>An AEAD encrypts <em>and</em> authenticates: decryption either returns the exact plaintext or fails. The
/// associated data (AD) is authenticated but not encrypted: bind the context (a user id, a record id, a header) so a
/// ciphertext cannot be moved to another context.</para>
/// <para>Envelope layout, all lengths fixed:</para>
/// <code>
/// [0]       version   = 1
/// [1]       algorithm = (byte)EnvelopeAlgorithm
/// [2..14)   nonce     12 random bytes (96 bits) from a cryptographically secure source
/// [14..^16) ciphertext (same length as the plaintext)
/// [^16..]   tag       16 bytes
/// </code>
/// <para>The AEAD's associated data is the 2 header bytes followed by the caller's associated data, so the header is
/// authenticated too. Each <see cref="Seal"/> draws a fresh random nonce: a (key, nonce) pair used twice breaks GCM
/// completely (the XOR of the plaintexts leaks, and the authentication key can be recovered). With random 96-bit nonces,
/// stay below about 2^32 messages per key.</para>
/// <para>Both algorithms come from vetted implementations (the base library and the packages the project references),
/// never a hand-rolled mode; the platform's own ChaCha20-Poly1305 is not supported on every OS, so portable code needs
/// one that is. The tests use the published vectors of NIST's GCM spec and RFC 8439 section 2.8.2.</para>
/// </remarks>
public static class Envelope
{
    /// <summary>The envelope format version this code writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>Key size for both algorithms: 32 bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Nonce size for both algorithms: 12 bytes.</summary>
    public const int NonceSize = 12;

    /// <summary>Tag size for both algorithms: 16 bytes.</summary>
    public const int TagSize = 16;

    /// <summary>Header size: version and algorithm bytes.</summary>
    public const int HeaderSize = 2;

    /// <summary>A new random 32-byte key from a cryptographically secure random source.</summary>
    public static byte[] GenerateKey() => throw new NotImplementedException();

    /// <summary>Encrypts <paramref name="plaintext"/> into an envelope under a fresh random nonce.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not <see cref="KeySize"/> bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="algorithm"/> is not one of the defined values.</exception>
    public static byte[] Seal(EnvelopeAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData) => throw new NotImplementedException();

    /// <summary>Decrypts an envelope made by <see cref="Seal"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not <see cref="KeySize"/> bytes.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Any change to any byte, a wrong key, wrong
    /// associated data, an unknown version or algorithm, or an envelope too short to hold header, nonce and tag.
    /// Every failure is the same exception: telling "bad tag" from "bad padding" from "bad version" helps attackers.</exception>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> associatedData) =>
        throw new NotImplementedException();

    /// <summary>
    /// The raw AEAD, no envelope: ciphertext followed by the 16-byte tag, with the given nonce and associated data
    /// exactly as passed. For known-answer tests; applications call <see cref="Seal"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not <see cref="KeySize"/> bytes (a 16-byte key
    /// would quietly select AES-128).</exception>
    public static byte[] EncryptRaw(EnvelopeAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) => throw new NotImplementedException();
}
