using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Crypto.Jwt;

public class JwtTests
{
    // RFC 7515, Appendix A.1 (Example JWS Using HMAC SHA-256): the JWK "k" (A.1.1) and the complete compact JWS.
    // Its header is {"typ":"JWT",\r\n "alg":"HS256"} — with a CRLF and a space, so re-serialised JSON would not match.
    private const string Rfc7515Key = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    private const string Rfc7515Header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
    private const string Rfc7515Payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    private const string Rfc7515Signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string Rfc7515Token = Rfc7515Header + "." + Rfc7515Payload + "." + Rfc7515Signature;
    // The A.1 payload's "exp": 1300819380 = 2011-03-22T18:43:00Z.
    private static readonly DateTimeOffset Rfc7515Exp = DateTimeOffset.FromUnixTimeSeconds(1300819380);

    // RFC 8037, Appendix A.1 (Ed25519 private key "d" and public key "x") and A.4 (the JWS of
    // "Example of Ed25519 signing" with protected header {"alg":"EdDSA"}).
    private const string Rfc8037D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    private const string Rfc8037X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    private const string Rfc8037Token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." +
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    private static byte[] B64(string s) => Base64Url.DecodeFromChars(s);
    private static string B64(byte[] b) => Base64Url.EncodeToString(b);
    private static JwsKey HmacKey() => JwsKey.Hs256(B64(Rfc7515Key));

    [Fact]
    public void Verify_accepts_the_RFC_7515_A1_HS256_token_and_returns_its_payload()
    {
        var payload = Jws.Verify(Rfc7515Token, HmacKey());

        payload.Should().Equal(B64(Rfc7515Payload), "the payload is the decoded second segment, byte for byte");
        using var claims = JsonDocument.Parse(payload);
        claims.RootElement.GetProperty("iss").GetString().Should().Be("joe", "RFC 7515 A.1's payload has iss=joe");
    }

    [Fact]
    public void Verify_checks_the_original_segments_so_reserialised_JSON_breaks_the_signature()
    {
        // Same claims, compact JSON (no CRLF, no spaces): semantically equal, different bytes.
        using var claims = JsonDocument.Parse(B64(Rfc7515Payload));
        var compact = B64(JsonSerializer.SerializeToUtf8Bytes(claims.RootElement));
        var reserialised = $"{Rfc7515Header}.{compact}.{Rfc7515Signature}";

        var act = () => Jws.Verify(reserialised, HmacKey());

        act.Should().Throw<SecurityTokenException>("the MAC covers the exact bytes of the segments, not the JSON they mean");
    }

    [Fact]
    public void Sign_EdDSA_reproduces_the_RFC_8037_A4_token()
    {
        var token = Jws.Sign("Example of Ed25519 signing"u8, JwsKey.Ed25519Private(B64(Rfc8037D)));

        token.Should().Be(Rfc8037Token, "Ed25519 is deterministic: RFC 8037 A.4 publishes this exact JWS for header {\"alg\":\"EdDSA\"}");
    }

    [Fact]
    public void Verify_accepts_the_RFC_8037_A4_token_with_the_public_key()
    {
        var payload = Jws.Verify(Rfc8037Token, JwsKey.Ed25519Public(B64(Rfc8037X)));

        Encoding.UTF8.GetString(payload).Should().Be("Example of Ed25519 signing", "RFC 8037 A.4's payload is this string");
    }

    [Fact]
    public void Sign_and_verify_HS256_round_trip_with_a_random_key()
    {
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));

        var token = Jws.Sign("{\"sub\":\"alice\"}"u8, key);

        token.Split('.')[0].Should().Be(B64(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\"}")), "the header is exactly {\"alg\":\"HS256\"}");
        Jws.Verify(token, key).Should().Equal("{\"sub\":\"alice\"}"u8.ToArray(), "a token verifies with the key that signed it");
    }

    [Fact]
    public void Verify_rejects_a_token_with_a_tampered_payload()
    {
        var evil = B64("{\"iss\":\"joe\",\"exp\":1300819380,\"http://example.com/is_root\":true,\"admin\":true}"u8.ToArray());

        var act = () => Jws.Verify($"{Rfc7515Header}.{evil}.{Rfc7515Signature}", HmacKey());

        act.Should().Throw<SecurityTokenException>("the signature no longer matches the payload");
    }

    [Fact]
    public void Verify_rejects_a_token_signed_with_another_HS256_key()
    {
        var act = () => Jws.Verify(Rfc7515Token, JwsKey.Hs256(RandomNumberGenerator.GetBytes(32)));

        act.Should().Throw<SecurityTokenException>("only the RFC's key makes this MAC");
    }

    [Fact]
    public void Verify_rejects_alg_none()
    {
        // RFC 7519 section 6.1's unsecured JWT shape: header {"alg":"none"}, empty signature.
        var header = B64("{\"alg\":\"none\"}"u8.ToArray());
        var unsecured = $"{header}.{Rfc7515Payload}.";

        var act = () => Jws.Verify(unsecured, HmacKey());

        act.Should().Throw<SecurityTokenException>("\"none\" is not on the allow-list: an unsigned token proves nothing");
    }

    [Fact]
    public void Verify_rejects_HS256_signed_with_the_public_key_bytes_algorithm_confusion()
    {
        // The attack: the verifier holds an EdDSA public key (public knowledge). The attacker MACs a token with the
        // public key's bytes as the HMAC secret and writes alg=HS256. A verifier that lets "alg" choose accepts it.
        var publicKey = B64(Rfc8037X);
        var signingInput = B64("{\"alg\":\"HS256\"}"u8.ToArray()) + "." + B64("{\"sub\":\"admin\"}"u8.ToArray());
        var forgedTag = HMACSHA256.HashData(publicKey, Encoding.ASCII.GetBytes(signingInput));
        var forged = signingInput + "." + B64(forgedTag);

        var act = () => Jws.Verify(forged, JwsKey.Ed25519Public(publicKey));

        act.Should().Throw<SecurityTokenException>("the key is bound to EdDSA; a token claiming HS256 does not get to reuse it (algorithm confusion, CVE-2015-9235)");
    }

    [Fact]
    public void Verify_rejects_an_EdDSA_token_presented_to_an_HS256_key()
    {
        var act = () => Jws.Verify(Rfc8037Token, HmacKey());

        act.Should().Throw<SecurityTokenException>("alg must equal the key's algorithm, whichever direction the mismatch");
    }

    [Theory]
    [InlineData("", "an empty token")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30", "two segments")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.AAAA.AAAA", "four segments")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.!!!!", "a signature that is not base64url")]
    [InlineData("bm90IGpzb24.e30.AAAA", "a header that is not JSON (\"not json\")")]
    [InlineData("eyJ0eXAiOiJKV1QifQ.e30.AAAA", "a header without alg ({\"typ\":\"JWT\"})")]
    [InlineData("WyJIUzI1NiJd.e30.AAAA", "a header that is a JSON array ([\"HS256\"])")]
    public void Verify_rejects_malformed_tokens(string token, string what)
    {
        var act = () => Jws.Verify(token, HmacKey());

        act.Should().Throw<SecurityTokenException>($"the token has {what}");
    }

    [Theory]
    [InlineData(" ", "a space")]
    [InlineData("\r\n", "a CRLF")]
    [InlineData("\t", "a tab")]
    public void Verify_rejects_whitespace_inside_the_signature_of_an_otherwise_valid_token(string whitespace, string what)
    {
        var token = Rfc7515Header + "." + Rfc7515Payload + "." + Rfc7515Signature[..20] + whitespace + Rfc7515Signature[20..];

        var act = () => Jws.Verify(token, HmacKey());

        act.Should().Throw<SecurityTokenException>(
            $"with {what} inside, the segment is not base64url; a decoder that skips whitespace gives one token many spellings, and a cache or deny-list keyed on the token string is bypassed");
    }

    [Fact]
    public void Validate_accepts_the_RFC_7515_token_before_it_expires()
    {
        var time = new FakeTimeProvider(Rfc7515Exp.AddMinutes(-5));

        var claims = Jwt.Validate(Rfc7515Token, HmacKey(), time, Leeway);

        claims.GetProperty("http://example.com/is_root").GetBoolean().Should().BeTrue("the claims come from the RFC's payload");
    }

    [Fact]
    public void Validate_accepts_a_token_expired_less_than_the_leeway_ago()
    {
        var time = new FakeTimeProvider(Rfc7515Exp.AddSeconds(59));

        var act = () => Jwt.Validate(Rfc7515Token, HmacKey(), time, Leeway);

        act.Should().NotThrow("59 s past exp is within a 60 s leeway for clock skew");
    }

    [Fact]
    public void Validate_rejects_an_expired_token()
    {
        var time = new FakeTimeProvider(Rfc7515Exp.AddSeconds(60));

        var act = () => Jwt.Validate(Rfc7515Token, HmacKey(), time, Leeway);

        act.Should().Throw<SecurityTokenException>("at exp + leeway the token is expired (RFC 7519 section 4.1.4: now must be before exp)");
    }

    [Fact]
    public void Validate_rejects_a_token_not_yet_valid_and_accepts_it_once_nbf_is_within_the_leeway()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var nbf = time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        var token = Jws.Sign(Encoding.UTF8.GetBytes($"{{\"sub\":\"alice\",\"nbf\":{nbf}}}"), key);

        var early = () => Jwt.Validate(token, key, time, Leeway);
        early.Should().Throw<SecurityTokenException>("nbf is 10 minutes in the future, beyond the 60 s leeway");

        time.Advance(TimeSpan.FromMinutes(9.5));
        Jwt.Validate(token, key, time, Leeway).GetProperty("sub").GetString()
            .Should().Be("alice", "30 s before nbf is within the leeway");
    }

    [Fact]
    public void Validate_rejects_a_payload_that_is_not_a_claims_object()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

        var act = () => Jwt.Validate(Rfc8037Token, JwsKey.Ed25519Public(B64(Rfc8037X)), time, Leeway);

        act.Should().Throw<SecurityTokenException>("a validly signed JWS whose payload is a plain string is not a JWT");
    }

    // RFC 8725 (JWT Best Current Practices), https://www.rfc-editor.org/rfc/rfc8725 section 3.8 "Validate Issuer and
    // Subject" and section 3.9 "Use and Validate Audience"; RFC 7519 section 4.1.3: "aud" is a string or an array.
    private static string SignClaims(JwsKey key, string claimsJson) => Jws.Sign(Encoding.UTF8.GetBytes(claimsJson), key);

    private static readonly FakeTimeProvider Year2030 = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("\"orders-api\"", "a single string")]
    [InlineData("[\"billing-api\",\"orders-api\"]", "an array of strings that contains it")]
    public void Validate_for_a_recipient_accepts_its_issuer_and_an_audience_that_names_it(string aud, string what)
    {
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var token = SignClaims(key, $$"""{"iss":"https://id.example","sub":"alice","aud":{{aud}}}""");

        var claims = Jwt.Validate(token, key, "https://id.example", "orders-api", Year2030, Leeway);

        claims.GetProperty("sub").GetString().Should().Be("alice", $"\"aud\" may be {what} (RFC 7519 section 4.1.3)");
    }

    [Fact]
    public void Validate_for_a_recipient_rejects_a_token_meant_for_another_service()
    {
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var token = SignClaims(key, """{"iss":"https://id.example","sub":"alice","aud":["billing-api","orders-api-v2"]}""");

        var act = () => Jwt.Validate(token, key, "https://id.example", "orders-api", Year2030, Leeway);

        act.Should().Throw<SecurityTokenException>(
            "a token the same issuer minted for billing-api, replayed at orders-api, is a substitution attack (RFC 8725 section 3.9); audiences match exactly, not by prefix");
    }

    [Fact]
    public void Validate_for_a_recipient_rejects_the_RFC_7515_token_because_it_names_no_audience()
    {
        var time = new FakeTimeProvider(Rfc7515Exp.AddMinutes(-5));

        var act = () => Jwt.Validate(Rfc7515Token, HmacKey(), "joe", "orders-api", time, Leeway);

        act.Should().Throw<SecurityTokenException>(
            "the RFC 7515 A.1 payload has \"iss\":\"joe\" but no \"aud\": RFC 8725 section 3.9 says a recipient MUST reject a token whose audience is not present");
    }

    [Fact]
    public void Validate_for_a_recipient_rejects_another_issuer_or_none()
    {
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var otherIssuer = SignClaims(key, """{"iss":"https://evil.example","aud":"orders-api"}""");
        var noIssuer = SignClaims(key, """{"aud":"orders-api"}""");

        var other = () => Jwt.Validate(otherIssuer, key, "https://id.example", "orders-api", Year2030, Leeway);
        var none = () => Jwt.Validate(noIssuer, key, "https://id.example", "orders-api", Year2030, Leeway);

        other.Should().Throw<SecurityTokenException>("the key belongs to https://id.example; a token claiming another issuer was not issued by the key's owner (RFC 8725 section 3.8)");
        none.Should().Throw<SecurityTokenException>("a token without \"iss\" cannot show it came from the issuer this key belongs to");
    }

    [Theory]
    [InlineData("42", "a number")]
    [InlineData("[\"orders-api\",7]", "an array with a number in it")]
    [InlineData("{\"orders-api\":true}", "an object")]
    public void Validate_for_a_recipient_rejects_an_audience_that_is_not_a_string_or_an_array_of_strings(string aud, string what)
    {
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var token = SignClaims(key, $$"""{"iss":"https://id.example","aud":{{aud}}}""");

        var act = () => Jwt.Validate(token, key, "https://id.example", "orders-api", Year2030, Leeway);

        act.Should().Throw<SecurityTokenException>($"\"aud\" as {what} is malformed (RFC 7519 section 4.1.3): reject it, do not guess");
    }

    [Fact]
    public void Sign_refuses_a_public_key_and_a_null_key()
    {
        var withPublicKey = () => Jws.Sign("{}"u8, JwsKey.Ed25519Public(B64(Rfc8037X)));
        var withNoKey = () => Jws.Sign("{}"u8, null!);

        withPublicKey.Should().Throw<ArgumentException>(
            "32 public-key bytes fed to a signer as if they were a private seed would sign with a key nobody can verify against: refuse, do not guess");
        withNoKey.Should().Throw<ArgumentNullException>("a missing key is the caller's bug: say so by name, not with a NullReferenceException");
    }

    [Fact]
    public void Verify_and_Validate_name_a_null_argument()
    {
        var key = HmacKey();

        FluentActions.Invoking(() => Jws.Verify(null!, key)).Should().Throw<ArgumentNullException>("the token is missing");
        FluentActions.Invoking(() => Jws.Verify(Rfc7515Token, null!)).Should().Throw<ArgumentNullException>(
            "the key is missing, even though the token itself parses");
        FluentActions.Invoking(() => Jwt.Validate(Rfc7515Token, key, null!, Leeway)).Should().Throw<ArgumentNullException>(
            "without a clock there is no \"now\" to judge exp and nbf by");
        FluentActions.Invoking(() => Jwt.Validate(Rfc7515Token, key, null!, "orders-api", Year2030, Leeway))
            .Should().Throw<ArgumentNullException>("without an issuer to expect, \"iss\" cannot be checked");
        FluentActions.Invoking(() => Jwt.Validate(Rfc7515Token, key, "joe", null!, Year2030, Leeway))
            .Should().Throw<ArgumentNullException>("without this recipient's name, \"aud\" cannot be checked");
    }

    [Fact]
    public void Verify_rejects_a_header_alg_that_disagrees_with_the_key_even_when_the_tag_is_right()
    {
        // Signed by the key's owner with the key's own algorithm (HMAC-SHA-256), but the header says EdDSA.
        var signingInput = B64("{\"alg\":\"EdDSA\"}"u8.ToArray()) + "." + B64("{\"sub\":\"alice\"}"u8.ToArray());
        var tag = HMACSHA256.HashData(B64(Rfc7515Key), Encoding.ASCII.GetBytes(signingInput));

        var act = () => Jws.Verify(signingInput + "." + B64(tag), HmacKey());

        act.Should().Throw<SecurityTokenException>(
            "\"alg\" must equal the key's algorithm (RFC 8725 section 3.1): a verifier that ignores the header accepts tokens whose header lies about how they were signed");
    }

    [Fact]
    public void Verify_rejects_a_payload_that_is_not_base64url_even_under_a_valid_tag()
    {
        // "A" is one base64url character: 6 bits, not a whole byte, so no decoder may accept it (RFC 4648 section 5).
        var signingInput = B64("{\"alg\":\"HS256\"}"u8.ToArray()) + ".A";
        var tag = HMACSHA256.HashData(B64(Rfc7515Key), Encoding.ASCII.GetBytes(signingInput));

        var act = () => Jws.Verify(signingInput + "." + B64(tag), HmacKey());

        act.Should().Throw<SecurityTokenException>("a segment that does not decode is malformed whatever the tag says; a decode failure must not turn into an empty payload");
    }

    [Fact]
    public void Validate_accepts_a_token_exactly_when_nbf_minus_the_leeway_arrives()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var nbf = time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        var token = Jws.Sign(Encoding.UTF8.GetBytes($"{{\"sub\":\"alice\",\"nbf\":{nbf}}}"), key);

        time.Advance(TimeSpan.FromMinutes(9));

        Jwt.Validate(token, key, time, Leeway).GetProperty("sub").GetString().Should().Be("alice",
            "now + leeway equals nbf: RFC 7519 section 4.1.5 rejects a token only *before* nbf, so the boundary itself is valid");
    }

    [Fact]
    public void Validate_for_a_recipient_rejects_an_issuer_that_is_not_a_string()
    {
        var key = JwsKey.Hs256(RandomNumberGenerator.GetBytes(32));
        var token = SignClaims(key, """{"iss":42,"aud":"orders-api"}""");

        var act = () => Jwt.Validate(token, key, "https://id.example", "orders-api", Year2030, Leeway);

        act.Should().Throw<SecurityTokenException>(
            "\"iss\" is a StringOrURI (RFC 7519 section 4.1.1): a number is a malformed token, reported as one, not an InvalidOperationException from reading it as a string");
    }
}
