using System.Security.Cryptography;

namespace Koans.Crypto.Attacks;

/// <summary>Reference solution for crypto.attacks: the CBC padding-oracle attack.</summary>
public static class PaddingOracleAttack
{
    private const int BlockSize = 16;

    public static byte[] Decrypt(byte[] iv, byte[] ciphertext, Func<byte[], byte[], bool> oracle)
    {
        ArgumentNullException.ThrowIfNull(iv);
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(oracle);
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("The IV is one 16-byte block.", nameof(iv));
        }

        if (ciphertext.Length == 0 || ciphertext.Length % BlockSize != 0)
        {
            throw new ArgumentException("CBC ciphertext is a non-empty whole number of 16-byte blocks.", nameof(ciphertext));
        }

        var plaintext = new byte[ciphertext.Length];
        var previous = iv;
        for (var offset = 0; offset < ciphertext.Length; offset += BlockSize)
        {
            var block = ciphertext[offset..(offset + BlockSize)];
            var intermediate = RecoverIntermediate(previous, block, oracle);
            for (var j = 0; j < BlockSize; j++)
            {
                plaintext[offset + j] = (byte)(intermediate[j] ^ previous[j]);
            }

            previous = block;
        }

        return RemovePkcs7(plaintext);
    }

    /// <summary>Finds D(block) byte by byte, last byte first, using forged IVs.</summary>
    private static byte[] RecoverIntermediate(byte[] previous, byte[] block, Func<byte[], byte[], bool> oracle)
    {
        var intermediate = new byte[BlockSize];
        for (var position = BlockSize - 1; position >= 0; position--)
        {
            var pad = (byte)(BlockSize - position);
            // Start from the real previous block (the textbook way): untouched bytes then decrypt to the real plaintext,
            // which is exactly when the 02 02 false positive below can bite.
            var forged = previous.ToArray();
            for (var k = position + 1; k < BlockSize; k++)
            {
                forged[k] = (byte)(intermediate[k] ^ pad); // make the known tail decrypt to the padding value
            }

            var found = false;
            for (var guess = 0; guess < 256 && !found; guess++)
            {
                forged[position] = (byte)guess;
                if (!oracle(forged.ToArray(), block))
                {
                    continue;
                }

                if (position == BlockSize - 1)
                {
                    // Was it 01, or did we hit 02 02 / 03 03 03...? Change the byte before: 01 stays valid.
                    var probe = forged.ToArray();
                    probe[position - 1] ^= 0xFF;
                    if (!oracle(probe, block))
                    {
                        continue;
                    }
                }

                intermediate[position] = (byte)(guess ^ pad);
                found = true;
            }

            if (!found)
            {
                throw new CryptographicException("The oracle never reported valid padding: it is not a PKCS#7 padding oracle.");
            }
        }

        return intermediate;
    }

    private static byte[] RemovePkcs7(byte[] padded)
    {
        var pad = padded[^1];
        if (pad is 0 or > BlockSize || padded.AsSpan(padded.Length - pad).IndexOfAnyExcept(pad) >= 0)
        {
            throw new CryptographicException("The recovered plaintext has invalid PKCS#7 padding.");
        }

        return padded[..^pad];
    }
}

/// <summary>Reference solution for crypto.attacks: keystream reuse.</summary>
public static class KeystreamReuse
{
    public static byte[] RecoverPlaintext(byte[] knownPlaintext, byte[] knownCiphertext, byte[] targetCiphertext)
    {
        ArgumentNullException.ThrowIfNull(knownPlaintext);
        ArgumentNullException.ThrowIfNull(knownCiphertext);
        ArgumentNullException.ThrowIfNull(targetCiphertext);
        if (knownPlaintext.Length != knownCiphertext.Length)
        {
            throw new ArgumentException("A stream cipher's ciphertext is as long as its plaintext.", nameof(knownCiphertext));
        }

        // keystream = C1 xor P1; P2 = C2 xor keystream, as far as the keystream is known.
        var length = Math.Min(knownPlaintext.Length, targetCiphertext.Length);
        var recovered = new byte[length];
        for (var i = 0; i < length; i++)
        {
            recovered[i] = (byte)(targetCiphertext[i] ^ knownCiphertext[i] ^ knownPlaintext[i]);
        }

        return recovered;
    }
}

/// <summary>Reference solution for crypto.attacks: the fix.</summary>
public static class AuthenticatedEncryption
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Seal(byte[] key, byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(plaintext);
        if (key.Length != 32)
        {
            throw new ArgumentException("AES-256-GCM takes a 32-byte key.", nameof(key));
        }

        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce); // 96 random bits: safe for about 2^32 messages per key
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length));
        return output;
    }

    public static byte[] Open(byte[] key, byte[] sealedMessage)
    {
        // A null key: AesGcm's constructor below refuses it with ArgumentNullException("key") already.
        ArgumentNullException.ThrowIfNull(sealedMessage);
        if (sealedMessage.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The message is shorter than a nonce and a tag.");
        }

        var ciphertextLength = sealedMessage.Length - NonceSize - TagSize;
        var plaintext = new byte[ciphertextLength];
        using var gcm = new AesGcm(key, TagSize);
        // Decrypt checks the tag first and releases no plaintext on failure (AuthenticationTagMismatchException).
        gcm.Decrypt(sealedMessage.AsSpan(0, NonceSize), sealedMessage.AsSpan(NonceSize, ciphertextLength),
            sealedMessage.AsSpan(NonceSize + ciphertextLength), plaintext);
        return plaintext;
    }
}
