using System.Security.Cryptography;
using NSec.Cryptography;

namespace Koans.Crypto.Aead;

public enum EnvelopeAlgorithm : byte
{
    Aes256Gcm = 1,
    ChaCha20Poly1305 = 2,
}

/// <summary>Reference solution for crypto.aead.</summary>
public static class Envelope
{
    public const byte Version = 1;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = 2;

    public static byte[] GenerateKey() => RandomNumberGenerator.GetBytes(KeySize);

    public static byte[] Seal(EnvelopeAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData)
    {
        CheckKey(key);
        if (algorithm is not (EnvelopeAlgorithm.Aes256Gcm or EnvelopeAlgorithm.ChaCha20Poly1305))
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm));
        }

        var envelope = new byte[HeaderSize + NonceSize + plaintext.Length + TagSize];
        envelope[0] = Version;
        envelope[1] = (byte)algorithm;
        var nonce = envelope.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var ad = HeaderAndAssociatedData(envelope, associatedData);
        var output = envelope.AsSpan(HeaderSize + NonceSize);

        if (algorithm == EnvelopeAlgorithm.Aes256Gcm)
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext, output[..plaintext.Length], output[plaintext.Length..], ad);
        }
        else
        {
            using var nsecKey = ImportChaChaKey(key);
            AeadAlgorithm.ChaCha20Poly1305.Encrypt(nsecKey, nonce, ad, plaintext, output);
        }

        return envelope;
    }

    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> associatedData)
    {
        CheckKey(key);
        // One exception type and message for every failure: no oracle telling an attacker which check failed.
        if (envelope.Length < HeaderSize + NonceSize + TagSize || envelope[0] != Version)
        {
            throw Failed();
        }

        var nonce = envelope.Slice(HeaderSize, NonceSize);
        var sealedPart = envelope[(HeaderSize + NonceSize)..];
        var ad = HeaderAndAssociatedData(envelope, associatedData);
        var plaintext = new byte[sealedPart.Length - TagSize];

        switch ((EnvelopeAlgorithm)envelope[1])
        {
            case EnvelopeAlgorithm.Aes256Gcm:
                try
                {
                    using var aes = new AesGcm(key, TagSize);
                    aes.Decrypt(nonce, sealedPart[..^TagSize], sealedPart[^TagSize..], plaintext, ad);
                }
                catch (CryptographicException)
                {
                    // AesGcm has already zeroed the output; rethrow our uniform failure.
                    throw Failed();
                }

                return plaintext;
            case EnvelopeAlgorithm.ChaCha20Poly1305:
                using (var nsecKey = ImportChaChaKey(key))
                {
                    if (!AeadAlgorithm.ChaCha20Poly1305.Decrypt(nsecKey, nonce, ad, sealedPart, plaintext))
                    {
                        throw Failed();
                    }
                }

                return plaintext;
            default:
                throw Failed();
        }
    }

    public static byte[] EncryptRaw(EnvelopeAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        CheckKey(key);
        var output = new byte[plaintext.Length + TagSize];
        switch (algorithm)
        {
            case EnvelopeAlgorithm.Aes256Gcm:
                using (var aes = new AesGcm(key, TagSize))
                {
                    aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length),
                        associatedData);
                }

                return output;
            case EnvelopeAlgorithm.ChaCha20Poly1305:
                using (var nsecKey = ImportChaChaKey(key))
                {
                    AeadAlgorithm.ChaCha20Poly1305.Encrypt(nsecKey, nonce, associatedData, plaintext, output);
                }

                return output;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The key must be {KeySize} bytes.", nameof(key));
        }
    }

    private static Key ImportChaChaKey(ReadOnlySpan<byte> key) =>
        Key.Import(AeadAlgorithm.ChaCha20Poly1305, key, KeyBlobFormat.RawSymmetricKey);

    private static byte[] HeaderAndAssociatedData(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> associatedData)
    {
        var ad = new byte[HeaderSize + associatedData.Length];
        envelope[..HeaderSize].CopyTo(ad);
        associatedData.CopyTo(ad.AsSpan(HeaderSize));
        return ad;
    }

    private static CryptographicException Failed() =>
        new("The envelope could not be opened: it was modified, or the key or associated data is wrong.");
}
