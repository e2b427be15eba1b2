using System.Text.Json;

namespace Koans.Crypto.Jwt;

/// <summary>
/// Kata crypto.jwt: JSON Web Signatures (RFC 7515, compact serialisation) and JSON Web Tokens (RFC 7519) by hand,
/// for HS256 (HMAC-SHA-256) and EdDSA (Ed25519).
/// </summary>
/// <remarks>
/// <para>A compact JWS is <c>BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)</c>, base64url without
/// padding (RFC 7515 section 2). The signature is computed over the ASCII bytes of the first two segments <em>exactly as they
/// appear in the token</em>: verify over the original segments, never over JSON you parsed and serialised again
/// (whitespace, key order and escaping would change and a valid token would fail; worse, a lenient re-serialiser can
/// make two different tokens look the same).</para>
/// <para>Rules for <see cref="Verify"/>, each failure a <see cref="SecurityTokenException"/>:</para>
/// <list type="bullet">
/// <item><description>Exactly three segments, each valid base64url: the 64-character URL-safe alphabet only, with no
/// padding and no whitespace (RFC 7515 section 2), so a token has exactly one spelling; the header is a JSON object with
/// a string "alg".</description></item>
/// <item><description>The algorithm allow-list is {HS256, EdDSA}, <em>and</em> "alg" must equal the key's own
/// <see cref="JwsKey.Algorithm"/>. "none" is never accepted (Tim McLean, "Critical vulnerabilities in JSON Web Token libraries", 2015). Trusting "alg" to pick how a key
/// is used is algorithm confusion: an attacker HMACs a token with your <em>public</em> key bytes and sets alg=HS256.</description></item>
/// <item><description>HS256 (RFC 7518 section 3.2): the tag must be HMAC-SHA-256 of the signing input under the key,
/// compared so that the time taken does not reveal how many leading bytes of a forged tag are right.</description></item>
/// <item><description>EdDSA (RFC 8037): a valid Ed25519 signature under the key (a private <see cref="JwsKey"/>
/// verifies with its public half). Use the vetted implementation the project references, never a hand-rolled
/// curve.</description></item>
/// </list>
/// </remarks>
public static class Jws
{
    /// <summary>
    /// Signs <paramref name="payload"/> as a compact JWS whose protected header is exactly <c>{"alg":"HS256"}</c> or
    /// <c>{"alg":"EdDSA"}</c> (no spaces, no other members), the algorithm taken from <paramref name="key"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is an Ed25519 public key: it cannot sign.</exception>
    public static string Sign(ReadOnlySpan<byte> payload, JwsKey key) => throw new NotImplementedException();

    /// <summary>Verifies a compact JWS with <paramref name="key"/> and returns the decoded payload bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> or <paramref name="key"/> is null.</exception>
    /// <exception cref="SecurityTokenException">Any of the rules in the remarks fails.</exception>
    public static byte[] Verify(string token, JwsKey key) => throw new NotImplementedException();
}

/// <summary>
/// JWT claims validation (RFC 7519 section 4.1) on top of <see cref="Jws.Verify"/>.
/// </summary>
/// <remarks>
/// The payload must be a JSON object. "exp" and "nbf", when present, are NumericDates (seconds since the Unix epoch,
/// possibly fractional). With <c>now</c> from <paramref name="time"/>: the token is expired when
/// <c>now &gt;= exp + leeway</c>, not yet valid when <c>now + leeway &lt; nbf</c>. The leeway absorbs clock skew between
/// issuer and verifier (typically a minute or two), nothing more. Time always comes from the <see cref="TimeProvider"/>,
/// never from <c>DateTime.UtcNow</c>, so tests can fix it.
/// </remarks>
public static class Jwt
{
    /// <summary>Verifies the token's signature, then its time claims; returns the claims object.</summary>
    /// <exception cref="SecurityTokenException">Bad signature (see <see cref="Jws.Verify"/>), a payload that is not a JSON
    /// object, a non-numeric exp or nbf, an expired or not-yet-valid token.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="token"/>, <paramref name="key"/> or
    /// <paramref name="time"/> is null.</exception>
    public static JsonElement Validate(string token, JwsKey key, TimeProvider time, TimeSpan leeway) =>
        throw new NotImplementedException();

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
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static JsonElement Validate(string token, JwsKey key, string issuer, string audience, TimeProvider time,
        TimeSpan leeway) =>
        throw new NotImplementedException();
}
