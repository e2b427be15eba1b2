using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Koans.Crypto.Ed25519;

/// <summary>Reference solution for crypto.ed25519.</summary>
public static class Ed25519Signer
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    // Export is opt-in in NSec; this class's job is moving keys around, so it opts in, and disposes keys promptly.
    private static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    public static byte[] GeneratePrivateKey() => RandomNumberGenerator.GetBytes(32);

    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey)
    {
        using var key = ImportPrivate(privateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message)
    {
        using var key = ImportPrivate(privateKey);
        return Algorithm.Sign(key, message);
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var key = ImportPublic(publicKey);
        // NSec returns false for a signature of the wrong length; checked here too, to make the contract visible.
        return signature.Length == Algorithm.SignatureSize && Algorithm.Verify(key, message, signature);
    }

    public static string ExportPublicKeyPem(ReadOnlySpan<byte> publicKey) =>
        Encoding.ASCII.GetString(ImportPublic(publicKey).Export(KeyBlobFormat.PkixPublicKeyText));

    public static byte[] ImportPublicKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PublicKey.TryImport(Algorithm, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText, out var key)
            || key is null)
        {
            throw new FormatException("Not an Ed25519 public key in PEM (SubjectPublicKeyInfo).");
        }

        return key.Export(KeyBlobFormat.RawPublicKey);
    }

    public static string ExportPrivateKeyPem(ReadOnlySpan<byte> privateKey)
    {
        using var key = ImportPrivate(privateKey);
        return Encoding.ASCII.GetString(key.Export(KeyBlobFormat.PkixPrivateKeyText));
    }

    public static byte[] ImportPrivateKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!Key.TryImport(Algorithm, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPrivateKeyText, out var key, Exportable)
            || key is null)
        {
            throw new FormatException("Not an unencrypted Ed25519 private key in PEM (PKCS#8).");
        }

        using (key)
        {
            return key.Export(KeyBlobFormat.RawPrivateKey);
        }
    }

    private static Key ImportPrivate(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != Algorithm.PrivateKeySize)
        {
            throw new ArgumentException($"An Ed25519 private key is {Algorithm.PrivateKeySize} bytes.", nameof(privateKey));
        }

        return Key.Import(Algorithm, privateKey, KeyBlobFormat.RawPrivateKey, Exportable);
    }

    private static PublicKey ImportPublic(ReadOnlySpan<byte> publicKey) =>
        PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key) && key is not null
            ? key
            : throw new ArgumentException("Not a valid 32-byte Ed25519 public key.", nameof(publicKey));
}
