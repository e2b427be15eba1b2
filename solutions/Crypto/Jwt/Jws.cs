using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace Koans.Crypto.Jwt;

/// <summary>Reference solution for crypto.jwt: compact JWS.</summary>
public static class Jws
{
    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Sign(ReadOnlySpan<byte> payload, JwsKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsPrivate)
        {
            throw new ArgumentException("An Ed25519 public key cannot sign.", nameof(key));
        }

        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"{key.Algorithm}\"}}"));
        var signingInput = header + "." + Base64Url.EncodeToString(payload);
        var signature = ComputeSignature(key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public static byte[] Verify(string token, JwsKey key)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(key);

        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            throw new SecurityTokenException($"A compact JWS has 3 segments, this one has {segments.Length}.");
        }

        var header = Decode(segments[0], "header");
        var payload = Decode(segments[1], "payload");
        var signature = Decode(segments[2], "signature");

        var alg = ReadAlg(header);

        // The key decides the algorithm; the header only has to agree. This is the algorithm-confusion defence, and it
        // is the allow-list too: a JwsKey is only ever HS256 or EdDSA, so "none", "HS512" or "hs256" never match one.
        if (!string.Equals(alg, key.Algorithm, StringComparison.Ordinal))
        {
            throw new SecurityTokenException($"The token says {alg}, the key is for {key.Algorithm}.");
        }

        // The signing input is the original ASCII text of the first two segments, never re-encoded JSON.
        var signingInput = Encoding.ASCII.GetBytes(token.AsSpan(0, segments[0].Length + 1 + segments[1].Length).ToString());
        if (!VerifySignature(key, signingInput, signature))
        {
            throw new SecurityTokenException("The signature does not verify.");
        }

        return payload;
    }

    private static byte[] ComputeSignature(JwsKey key, byte[] signingInput)
    {
        if (key.Algorithm == "HS256")
        {
            return HMACSHA256.HashData(key.Material, signingInput);
        }

        using var privateKey = Key.Import(SignatureAlgorithm.Ed25519, key.Material, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(privateKey, signingInput);
    }

    private static bool VerifySignature(JwsKey key, byte[] signingInput, byte[] signature)
    {
        if (key.Algorithm == "HS256")
        {
            var expected = HMACSHA256.HashData(key.Material, signingInput);
            // FixedTimeEquals returns false for different lengths too, without an early exit on content.
            return CryptographicOperations.FixedTimeEquals(expected, signature);
        }

        var publicKey = PublicKeyOf(key);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, signingInput, signature);
    }

    private static PublicKey PublicKeyOf(JwsKey key)
    {
        if (!key.IsPrivate)
        {
            return PublicKey.Import(SignatureAlgorithm.Ed25519, key.Material, KeyBlobFormat.RawPublicKey);
        }

        using var privateKey = Key.Import(SignatureAlgorithm.Ed25519, key.Material, KeyBlobFormat.RawPrivateKey);
        return privateKey.PublicKey;
    }

    private static byte[] Decode(string segment, string what)
    {
        // Base64Url.DecodeFromChars skips whitespace (and takes padding), so " ", "\r\n" or "=" inside a segment would
        // give one token many spellings. A compact JWS segment is the base64url alphabet and nothing else (RFC 7515 section 2).
        if (segment.AsSpan().ContainsAnyExcept(Base64UrlAlphabet))
        {
            throw new SecurityTokenException($"The {what} has a character outside the base64url alphabet.");
        }

        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException e)
        {
            throw new SecurityTokenException($"The {what} is not base64url.", e);
        }
    }

    private static string ReadAlg(byte[] header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("alg", out var alg)
                || alg.ValueKind != JsonValueKind.String)
            {
                throw new SecurityTokenException("The header is not a JSON object with a string \"alg\".");
            }

            return alg.GetString()!;
        }
        catch (JsonException e)
        {
            throw new SecurityTokenException("The header is not JSON.", e);
        }
    }
}

/// <summary>Reference solution for crypto.jwt: claims validation.</summary>
public static class Jwt
{
    public static JsonElement Validate(string token, JwsKey key, TimeProvider time, TimeSpan leeway)
    {
        ArgumentNullException.ThrowIfNull(time);
        var payload = Jws.Verify(token, key); // signature first: never act on unauthenticated claims

        JsonElement claims;
        try
        {
            using var document = JsonDocument.Parse(payload);
            claims = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SecurityTokenException("The payload is not JSON.", e);
        }

        if (claims.ValueKind != JsonValueKind.Object)
        {
            throw new SecurityTokenException("A JWT payload is a JSON object of claims.");
        }

        var now = time.GetUtcNow();
        if (ReadNumericDate(claims, "exp") is { } exp && now >= exp + leeway)
        {
            throw new SecurityTokenException($"The token expired at {exp:O}.");
        }

        if (ReadNumericDate(claims, "nbf") is { } nbf && now + leeway < nbf)
        {
            throw new SecurityTokenException($"The token is not valid before {nbf:O}.");
        }

        return claims;
    }

    /// <summary>
    /// <see cref="Validate(string, JwsKey, TimeProvider, TimeSpan)"/>, and then: was this token issued by the party
    /// that owns <paramref name="key"/>, and for this recipient? RFC 8725 section 3.8 (the keys must belong to the
    /// issuer) and section 3.9 (an issuer that serves several relying parties puts an "aud" in every token, and a
    /// recipient rejects a token whose audience is absent or not its own), with "aud" as RFC 7519 section 4.1.3 defines
    /// it: one string, or an array of strings. Source: https://www.rfc-editor.org/rfc/rfc8725#section-3.8
    /// </summary>
    /// <param name="issuer">The issuer <paramref name="key"/> belongs to: "iss" must be exactly this string.</param>
    /// <param name="audience">This recipient's identifier: "aud" must be it, or an array that contains it.</param>
    /// <exception cref="SecurityTokenException">Everything the shorter overload rejects; a missing or different "iss";
    /// a missing "aud", or one that does not name <paramref name="audience"/>, or is neither a string nor an array of
    /// strings.</exception>
    public static JsonElement Validate(string token, JwsKey key, string issuer, string audience, TimeProvider time,
        TimeSpan leeway)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(audience);
        var claims = Validate(token, key, time, leeway);

        // RFC 8725 section 3.8: the caller handed us the key of one issuer; a token claiming another (or none) was not
        // issued by the owner of this key. Exact, case-sensitive comparison (StringOrURI, RFC 7519 section 2).
        if (!claims.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String || iss.GetString() != issuer)
        {
            throw new SecurityTokenException($"The token was not issued by {issuer}.");
        }

        // RFC 8725 section 3.9: absent is a rejection, not a pass. RFC 7519 section 4.1.3: a string or an array of strings.
        if (!claims.TryGetProperty("aud", out var aud))
        {
            throw new SecurityTokenException("The token names no audience.");
        }

        var audiences = aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array when aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String) =>
                aud.EnumerateArray().Select(a => a.GetString()!).ToArray(),
            _ => throw new SecurityTokenException("\"aud\" is neither a string nor an array of strings."),
        };
        if (!audiences.Contains(audience, StringComparer.Ordinal))
        {
            throw new SecurityTokenException($"The token is not meant for {audience}.");
        }

        return claims;
    }

    private static DateTimeOffset? ReadNumericDate(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            throw new SecurityTokenException($"\"{name}\" is not a NumericDate.");
        }

        try
        {
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SecurityTokenException($"\"{name}\" is out of range.", e);
        }
    }
}
