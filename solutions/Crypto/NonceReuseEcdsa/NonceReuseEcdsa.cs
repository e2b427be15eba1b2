using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;

namespace Koans.Crypto.NonceReuseEcdsa;

/// <summary>Reference solution for crypto.nonce-reuse-ecdsa, part 1.</summary>
public static class NonceReuseAttack
{
    public static BigInteger RecoverPrivateKey(byte[] message1, EcdsaSignature signature1, byte[] message2,
        EcdsaSignature signature2)
    {
        var n = P256.Domain.N;
        if (!signature1.R.Equals(signature2.R))
        {
            throw new ArgumentException("The signatures have different r, so they do not share a nonce.", nameof(signature2));
        }

        var sDifference = signature1.S.Subtract(signature2.S).Mod(n);
        if (sDifference.SignValue == 0)
        {
            throw new ArgumentException("The signatures have equal s (one message signed twice?): nothing to solve.", nameof(signature2));
        }

        // The digest is an UNSIGNED big-endian integer: BigInteger(byte[]) alone would read it as two's complement.
        var e1 = new BigInteger(1, SHA256.HashData(message1));
        var e2 = new BigInteger(1, SHA256.HashData(message2));

        // s1 - s2 = k^-1 (e1 - e2)  =>  k = (e1 - e2) / (s1 - s2);  s1 k = e1 + r d  =>  d = (s1 k - e1) / r.  All mod n.
        var k = e1.Subtract(e2).Multiply(sDifference.ModInverse(n)).Mod(n);
        var r = signature1.R;
        return signature1.S.Multiply(k).Subtract(e1).Multiply(r.ModInverse(n)).Mod(n);
    }
}

/// <summary>Reference solution for crypto.nonce-reuse-ecdsa, part 2.</summary>
public static class DeterministicEcdsa
{
    public static EcdsaSignature Sign(BigInteger privateKey, byte[] message)
    {
        if (privateKey.SignValue <= 0 || privateKey.CompareTo(P256.Domain.N) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(privateKey), "An ECDSA private key is in [1, n - 1].");
        }

        // BouncyCastle's HMacDsaKCalculator is RFC 6979 section 3.2 (HMAC-DRBG seeded with the key and the hash).
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(privateKey, P256.Domain));
        var rs = signer.GenerateSignature(SHA256.HashData(message));
        return new EcdsaSignature(rs[0], rs[1]);
    }
}
