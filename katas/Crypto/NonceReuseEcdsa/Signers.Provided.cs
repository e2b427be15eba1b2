using SHA256 = System.Security.Cryptography.SHA256;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Security;

namespace Koans.Crypto.NonceReuseEcdsa;

/// <summary>An ECDSA signature: the pair (r, s), both integers in [1, n - 1] (SEC 1 v2, section 4.1.3).</summary>
public sealed record EcdsaSignature(BigInteger R, BigInteger S);

/// <summary>NIST P-256 (secp256r1, SEC 2 section 2.4.2) from BouncyCastle, and ECDSA verification with SHA-256.</summary>
public static class P256
{
    private static readonly X9ECParameters Curve = ECNamedCurveTable.GetByName("P-256");

    /// <summary>The curve, its base point G, and the order n of G.</summary>
    public static ECDomainParameters Domain { get; } = new(Curve.Curve, Curve.G, Curve.N, Curve.H);

    /// <summary>The public key Q = dG of a private key d.</summary>
    public static ECPoint PublicKeyOf(BigInteger privateKey) => Domain.G.Multiply(privateKey).Normalize();

    /// <summary>Verifies an ECDSA signature over SHA-256(<paramref name="message"/>) (SEC 1 v2, section 4.1.4).</summary>
    public static bool Verify(ECPoint publicKey, byte[] message, EcdsaSignature signature)
    {
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(publicKey, Domain));
        return verifier.VerifySignature(SHA256.HashData(message), signature.R, signature.S);
    }
}

/// <summary>
/// The vulnerable signer: a correct ECDSA implementation whose per-signature secret k is not fresh. Sony's PS3 firmware
/// signer used one constant k (fail0verflow, 27C3, 2010); Android's broken SecureRandom made Bitcoin wallets repeat k
/// (2013). Each signature alone is valid and reveals nothing; two of them together reveal the private key.
/// </summary>
public sealed class RepeatedNonceSigner
{
    private readonly BigInteger _privateKey;
    private readonly BigInteger _nonce;

    /// <param name="privateKey">d, in [1, n - 1].</param>
    /// <param name="nonce">The k this signer uses for every signature, in [1, n - 1].</param>
    public RepeatedNonceSigner(BigInteger privateKey, BigInteger nonce)
    {
        _privateKey = privateKey;
        _nonce = nonce;
        PublicKey = P256.PublicKeyOf(privateKey);
    }

    public ECPoint PublicKey { get; }

    /// <summary>Signs SHA-256(<paramref name="message"/>) with the repeated nonce.</summary>
    public EcdsaSignature Sign(byte[] message)
    {
        var signer = new ECDsaSigner(new ConstantNonce(_nonce));
        signer.Init(true, new ECPrivateKeyParameters(_privateKey, P256.Domain));
        var rs = signer.GenerateSignature(SHA256.HashData(message));
        return new EcdsaSignature(rs[0], rs[1]);
    }

    private sealed class ConstantNonce(BigInteger nonce) : IDsaKCalculator
    {
        public bool IsDeterministic => true;

        public void Init(BigInteger n, SecureRandom random) => throw new InvalidOperationException("deterministic");

        public void Init(BigInteger n, BigInteger d, byte[] message)
        {
        }

        public BigInteger NextK() => nonce;
    }
}
