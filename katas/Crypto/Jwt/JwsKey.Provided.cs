namespace Koans.Crypto.Jwt;

/// <summary>
/// A key <em>bound to one algorithm</em>. The verifier takes the algorithm from here, never from the token: the token's
/// <c>alg</c> header must merely agree with it. (This class is given: the kata is the code that uses it.)
/// </summary>
public sealed class JwsKey
{
    private JwsKey(string algorithm, byte[] material, bool isPrivate)
    {
        Algorithm = algorithm;
        Material = material;
        IsPrivate = isPrivate;
    }

    /// <summary>"HS256" or "EdDSA" (RFC 7518 section 3.1, RFC 8037 section 3.1).</summary>
    public string Algorithm { get; }

    /// <summary>HS256: the shared secret. EdDSA: the 32-byte Ed25519 private seed, or the 32-byte public key.</summary>
    public byte[] Material { get; }

    /// <summary>True for an Ed25519 private seed (it can sign); false for a public key. Always true for HS256.</summary>
    public bool IsPrivate { get; }

    /// <summary>An HMAC-SHA-256 secret. RFC 7518 section 3.2: at least 256 bits.</summary>
    /// <exception cref="ArgumentException">The secret is shorter than 32 bytes.</exception>
    public static JwsKey Hs256(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 32)
        {
            throw new ArgumentException("RFC 7518 section 3.2: an HS256 key has at least 256 bits.", nameof(secret));
        }

        return new JwsKey("HS256", secret.ToArray(), isPrivate: true);
    }

    /// <summary>An Ed25519 private key, as its 32-byte seed (the JWK "d" member, RFC 8037 section 2).</summary>
    public static JwsKey Ed25519Private(byte[] seed) => new("EdDSA", CheckLength(seed), isPrivate: true);

    /// <summary>An Ed25519 public key, 32 bytes (the JWK "x" member, RFC 8037 section 2).</summary>
    public static JwsKey Ed25519Public(byte[] publicKey) => new("EdDSA", CheckLength(publicKey), isPrivate: false);

    private static byte[] CheckLength(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length == 32 ? key.ToArray() : throw new ArgumentException("Ed25519 keys are 32 bytes.", nameof(key));
    }
}
