using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Koans.Crypto.RsaEcdsa;

/// <summary>Reference solution for crypto.rsa-ecdsa.</summary>
public static class PublicKeySignatures
{
    public static byte[] SignPss(RSA privateKey, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return privateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    // The padding is fixed here, never taken from the signature or the caller: a verifier whose padding is a parameter
    // is one refactoring away from accepting whatever the attacker chooses.
    public static bool VerifyPss(RSA publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    public static byte[] EncryptOaep(RSA publicKey, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.Encrypt(plaintext, RSAEncryptionPadding.OaepSHA256);
    }

    // No try/catch: the CryptographicException says "it did not decrypt" and nothing more, which is all a caller
    // (or an attacker) may learn.
    public static byte[] DecryptOaep(RSA privateKey, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return privateKey.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA256);
    }

    public static byte[] SignEcdsa(ECDsa privateKey, ReadOnlySpan<byte> message, DSASignatureFormat format)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return privateKey.SignData(message, HashAlgorithmName.SHA256, format);
    }

    public static bool VerifyEcdsa(ECDsa publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature,
        DSASignatureFormat format)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (format == DSASignatureFormat.Rfc3279DerSequence)
        {
            // .NET's DER reader takes an s written as a negative INTEGER as its unsigned value: a second encoding of
            // the same signature. Read it strictly, as DerToP1363 does, and verify the fixed-width form.
            byte[] p1363;
            try
            {
                p1363 = DerToP1363(signature, (publicKey.KeySize + 7) / 8);
            }
            catch (FormatException)
            {
                return false;
            }

            return publicKey.VerifyData(message, p1363, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, format);
    }

    public static byte[] P1363ToDer(ReadOnlySpan<byte> p1363)
    {
        if (p1363.IsEmpty || p1363.Length % 2 != 0)
        {
            throw new ArgumentException("An IEEE P1363 signature is r||s: two halves of equal length.", nameof(p1363));
        }

        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // BigInteger from unsigned big-endian bytes; AsnWriter then writes the minimal two's complement form,
            // adding a 0x00 where the top bit is set and dropping leading zeros.
            writer.WriteInteger(new BigInteger(p1363[..half], isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(p1363[half..], isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }

    public static byte[] DerToP1363(ReadOnlySpan<byte> der, int fieldSizeBytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fieldSizeBytes);
        var result = new byte[2 * fieldSizeBytes];
        try
        {
            // DER mode rejects non-minimal lengths and integers (BER leniency is how signature malleability creeps in).
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var r = sequence.ReadInteger();
            var s = sequence.ReadInteger();
            sequence.ThrowIfNotEmpty();

            WriteFixed(r, result.AsSpan(0, fieldSizeBytes));
            WriteFixed(s, result.AsSpan(fieldSizeBytes));
        }
        catch (AsnContentException e)
        {
            throw new FormatException("Not a DER-encoded ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }).", e);
        }

        return result;
    }

    private static void WriteFixed(BigInteger value, Span<byte> destination)
    {
        if (value.Sign <= 0)
        {
            throw new FormatException("ECDSA r and s are positive numbers.");
        }

        var length = value.GetByteCount(isUnsigned: true);
        if (length > destination.Length)
        {
            throw new FormatException($"A number of {length} bytes does not fit the {destination.Length}-byte field.");
        }

        // Left-pad with zeros: P1363 numbers have a fixed width.
        value.TryWriteBytes(destination[(destination.Length - length)..], out _, isUnsigned: true, isBigEndian: true);
    }
}
