namespace Koans.Security.TokensAndSecrets;

/// <summary>
/// Kata security.tokens-and-secrets, part 1: API tokens that a stolen database cannot be used as.
/// </summary>
/// <remarks>
/// <para>A token is <c>kt_</c>, then an id of 16 lower-case hex characters (8 random bytes), then <c>_</c>, then a
/// secret of 43 base64url characters without padding (32 random bytes). Every random byte comes from the operating
/// system's cryptographically secure generator: never <c>System.Random</c>, which is predictable from its output.</para>
/// <para>The store keeps, per token, only the id, the owner and the SHA-256 of the 32 secret bytes. The full token is
/// returned once by <see cref="Issue"/> and never stored: a leaked table must not authenticate anyone. (A fast hash is
/// right here, unlike for passwords: 256 random bits cannot be guessed however fast the hash.)</para>
/// <para><see cref="Authenticate"/> finds the row by the id (public, so an ordinary lookup is fine) and compares the
/// secret's hash with the stored one in constant time. It returns <c>null</c> for anything that is not a valid, issued
/// token, and never throws.</para>
/// </remarks>
public sealed class ApiTokenStore
{
    /// <summary>What the table holds, in issue order.</summary>
    public IReadOnlyList<StoredToken> Stored => throw new NotImplementedException();

    /// <summary>Issues a new token for <paramref name="owner"/>, stores its id, owner and secret hash, and returns the
    /// token: the only time it is ever seen.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is null.</exception>
    public string Issue(string owner) => throw new NotImplementedException();

    /// <summary>The owner of <paramref name="presentedToken"/>, or <c>null</c> when it is not a valid, issued token.</summary>
    public string? Authenticate(string? presentedToken) => throw new NotImplementedException();
}
