namespace Koans.Crypto.X25519Handshake;

/// <summary>
/// Kata crypto.x25519-handshake: seal a message to someone's X25519 public key, with X25519 + HKDF + AEAD
/// (in the spirit of libsodium's sealed boxes and HPKE base mode, RFC 9180).
/// </summary>
/// <remarks>
/// <para>The sender needs only the recipient's public key. Each message:</para>
/// <list type="number">
/// <item><description>Create a fresh <b>ephemeral</b> X25519 key pair.</description></item>
/// <item><description>Agree on a shared secret between the ephemeral private key and the recipient's public key. When
/// the peer's public key is a low-order point the shared secret would be all zeros, known to everyone: throw
/// <c>CryptographicException</c>.</description></item>
/// <item><description>Derive 44 bytes with HKDF-SHA256 (RFC 5869) from the shared secret:
/// salt = ephemeral public key || recipient public key (binds both parties),
/// info = <see cref="Info"/>. The first 32 bytes are the ChaCha20-Poly1305 key, the last 12 the nonce: the key is
/// new for every message, so a derived nonce is never reused.</description></item>
/// <item><description>Encrypt with ChaCha20-Poly1305 (RFC 8439) and the caller's associated data.</description></item>
/// </list>
/// <para>Sealed message layout: ephemeral public key (32 bytes) || ciphertext || tag (16 bytes). The recipient repeats
/// the agreement with its private key and the ephemeral public key. Nobody, not even the sender, can open a sealed
/// message later without the recipient's private key; and the recipient learns nothing about who sent it (there is no
/// sender authentication: sign the message too if that matters).</para>
/// <para>Keys are raw 32-byte X25519 keys (RFC 7748). Every primitive comes from the vetted library the project
/// references, never a hand-rolled curve.</para>
/// </remarks>
public static class SealedBox
{
    /// <summary>The HKDF info string: names the protocol and version so keys cannot be confused with other uses.</summary>
    public static ReadOnlySpan<byte> Info => "Koans X25519 sealed box v1"u8;

    /// <summary>Size of the ephemeral public key at the start of a sealed message.</summary>
    public const int EphemeralKeySize = 32;

    /// <summary>Size of the Poly1305 tag at the end of a sealed message.</summary>
    public const int TagSize = 16;

    /// <summary>A new X25519 key pair: 32-byte private key and 32-byte public key.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair() => throw new NotImplementedException();

    /// <summary>The public key X25519(privateKey, 9) of a 32-byte private key.</summary>
    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>The raw 32-byte X25519 shared secret (RFC 7748 section 6.1). For known-answer tests: never use a raw
    /// shared secret as a key, always run it through a KDF.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException"><paramref name="peerPublicKey"/> is a
    /// low-order point (the result would be all zeros).</exception>
    public static byte[] SharedSecret(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey) =>
        throw new NotImplementedException();

    /// <summary>Seals <paramref name="plaintext"/> to <paramref name="recipientPublicKey"/>.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException"><paramref name="recipientPublicKey"/> is a
    /// low-order point.</exception>
    public static byte[] Seal(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData) => throw new NotImplementedException();

    /// <summary>Opens a message sealed to the public key of <paramref name="recipientPrivateKey"/>.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The message is too short, was modified,
    /// was sealed to another key, the associated data differs, or its ephemeral key is a low-order point.</exception>
    /// <exception cref="ArgumentException"><paramref name="recipientPrivateKey"/> is not 32 bytes.</exception>
    public static byte[] Open(ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> sealedMessage,
        ReadOnlySpan<byte> associatedData) => throw new NotImplementedException();
}
