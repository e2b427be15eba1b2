using System.Security.Cryptography;
using NSec.Cryptography;

namespace Koans.Crypto.X25519Handshake;

/// <summary>Reference solution for crypto.x25519-handshake: ephemeral-static X25519, HKDF-SHA256, ChaCha20-Poly1305.</summary>
public static class SealedBox
{
    public static ReadOnlySpan<byte> Info => "Koans X25519 sealed box v1"u8;

    public const int EphemeralKeySize = 32;

    public const int TagSize = 16;

    private const int AeadKeySize = 32;
    private const int NonceSize = 12;

    private static readonly KeyAgreementAlgorithm X25519 = KeyAgreementAlgorithm.X25519;
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.ChaCha20Poly1305;

    private static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair()
    {
        using var key = Key.Create(X25519, Exportable);
        return (key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey)
    {
        using var key = ImportPrivate(privateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public static byte[] SharedSecret(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublicKey)
    {
        using var key = ImportPrivate(privateKey);
        using var shared = Agree(key, ImportPublic(peerPublicKey),
            new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return shared.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    public static byte[] Seal(ReadOnlySpan<byte> recipientPublicKey, ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData)
    {
        var recipient = ImportPublic(recipientPublicKey);
        using var ephemeral = Key.Create(X25519);
        using var shared = Agree(ephemeral, recipient, default);

        var sealedMessage = new byte[EphemeralKeySize + plaintext.Length + TagSize];
        ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey).CopyTo(sealedMessage, 0);
        var ephemeralPublic = sealedMessage.AsSpan(0, EphemeralKeySize);

        using var aeadKey = DeriveKeyAndNonce(shared, ephemeralPublic, recipientPublicKey, out var nonce);
        Aead.Encrypt(aeadKey, nonce, associatedData, plaintext, sealedMessage.AsSpan(EphemeralKeySize));
        return sealedMessage;
    }

    public static byte[] Open(ReadOnlySpan<byte> recipientPrivateKey, ReadOnlySpan<byte> sealedMessage,
        ReadOnlySpan<byte> associatedData)
    {
        using var recipient = ImportPrivate(recipientPrivateKey);
        if (sealedMessage.Length < EphemeralKeySize + TagSize)
        {
            throw Failed();
        }

        // Any 32 bytes import as an X25519 public key; a low-order one shows up as a null agreement below.
        var ephemeralPublic = sealedMessage[..EphemeralKeySize];
        var ephemeral = PublicKey.Import(X25519, ephemeralPublic, KeyBlobFormat.RawPublicKey);
        using var shared = X25519.Agree(recipient, ephemeral) ?? throw Failed();
        var recipientPublic = recipient.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        using var aeadKey = DeriveKeyAndNonce(shared, ephemeralPublic, recipientPublic, out var nonce);

        var plaintext = new byte[sealedMessage.Length - EphemeralKeySize - TagSize];
        if (!Aead.Decrypt(aeadKey, nonce, associatedData, sealedMessage[EphemeralKeySize..], plaintext))
        {
            throw Failed();
        }

        return plaintext;
    }

    // HKDF-SHA256(shared, salt = ephemeral public || recipient public, info) -> 32-byte key || 12-byte nonce.
    private static Key DeriveKeyAndNonce(SharedSecret shared, ReadOnlySpan<byte> ephemeralPublic,
        ReadOnlySpan<byte> recipientPublic, out byte[] nonce)
    {
        var salt = new byte[EphemeralKeySize * 2];
        ephemeralPublic.CopyTo(salt);
        recipientPublic.CopyTo(salt.AsSpan(EphemeralKeySize));

        var okm = KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, salt, Info, AeadKeySize + NonceSize);
        try
        {
            nonce = okm[AeadKeySize..];
            return Key.Import(Aead, okm.AsSpan(0, AeadKeySize), KeyBlobFormat.RawSymmetricKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm.AsSpan(0, AeadKeySize));
        }
    }

    private static SharedSecret Agree(Key privateKey, PublicKey peer, in SharedSecretCreationParameters parameters) =>
        // NSec (libsodium) returns null when the result is all zeros: the peer key was a low-order point.
        X25519.Agree(privateKey, peer, in parameters)
        ?? throw new CryptographicException("The public key is a low-order point; no shared secret can be agreed.");

    private static Key ImportPrivate(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != X25519.PrivateKeySize)
        {
            throw new ArgumentException($"An X25519 private key is {X25519.PrivateKeySize} bytes.", nameof(privateKey));
        }

        return Key.Import(X25519, privateKey, KeyBlobFormat.RawPrivateKey, Exportable);
    }

    private static PublicKey ImportPublic(ReadOnlySpan<byte> publicKey) =>
        PublicKey.TryImport(X25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) && key is not null
            ? key
            : throw new ArgumentException("Not a 32-byte X25519 public key.", nameof(publicKey));

    private static CryptographicException Failed() =>
        new("The sealed message could not be opened: it was modified, sealed to another key, or the associated data differs.");
}
