using System.Text;
using Microsoft.Extensions.Configuration;

namespace Koans.Security.TokensAndSecrets;

/// <summary>One row of the token table: what a database dump or a backup would reveal.</summary>
/// <param name="Id">The public half of the token, used to find the row.</param>
/// <param name="Owner">Whom the token authenticates.</param>
/// <param name="SecretHash">What is kept of the secret half.</param>
public sealed record StoredToken(string Id, string Owner, byte[] SecretHash);

/// <summary>The payment provider's settings, as the application uses them.</summary>
public sealed record PaymentsSettings(Uri Endpoint, Secret ApiKey, int TimeoutSeconds);

/// <summary>
/// Provided: a token store that keeps the tokens themselves and compares with <c>==</c>. The tests run the attacks
/// against it first, to show they are real.
/// </summary>
public sealed class NaiveTokenStore
{
    private readonly List<StoredToken> rows = [];

    public IReadOnlyList<StoredToken> Stored => rows;

    public string Issue(string owner)
    {
        var token = "kt_" + Guid.NewGuid().ToString("N");
        rows.Add(new StoredToken(token[3..19], owner, Encoding.UTF8.GetBytes(token)));
        return token;
    }

    public string? Authenticate(string presentedToken) =>
        rows.FirstOrDefault(r => Encoding.UTF8.GetString(r.SecretHash) == presentedToken)?.Owner;
}

/// <summary>Provided: settings read the usual way, with the binder and the key as a plain string.</summary>
public sealed record NaivePaymentsSettings(Uri Endpoint, string ApiKey, int TimeoutSeconds)
{
    public static NaivePaymentsSettings Read(IConfiguration configuration) => new(
        new Uri(configuration["Payments:Endpoint"]!),
        configuration["Payments:ApiKey"]!,
        configuration.GetValue("Payments:TimeoutSeconds", 30));
}
