using System.Net;

namespace Koans.Security.Ssrf;

/// <summary>
/// Kata security.ssrf, part 1: which addresses a server may connect to on a user's behalf.
/// </summary>
public static class AddressPolicy
{
    /// <summary>
    /// True only for a globally routable unicast address. False for: unspecified (0.0.0.0/8, ::), loopback (127.0.0.0/8,
    /// ::1), private (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), link-local (169.254/16, which holds the
    /// cloud metadata service 169.254.169.254, and fe80::/10), unique-local IPv6 (fc00::/7, which holds AWS's
    /// fd00:ec2::254), multicast and broadcast (224/4, 240/4 and 255.255.255.255, ff00::/8), and any IPv6 address that
    /// embeds an IPv4 one (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96): those are judged by the IPv4 address inside.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public static bool IsAllowed(IPAddress address) => throw new NotImplementedException();
}

/// <summary>
/// Kata security.ssrf, part 2: fetch a URL a user gave (a webhook, an avatar, a link preview) without letting them make
/// the server reach its own network.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Only <c>http</c> and <c>https</c> URLs; anything else is refused.</description></item>
/// <item><description>Judge the host by address, never by spelling: <c>2130706433</c>, <c>0x7f.1</c> and <c>127.1</c> are
/// all 127.0.0.1. A name is resolved through the injected <see cref="IHostResolver"/>; every address it returns must
/// pass <see cref="AddressPolicy.IsAllowed"/>.</description></item>
/// <item><description>Resolve once and connect to the address you checked (DNS rebinding: a second resolution may
/// answer differently), for every connection the HTTP stack opens: after a redirect and for a new pooled connection
/// too.</description></item>
/// <item><description>Follow at most <see cref="MaxRedirects"/> redirects yourself, checking each target like the
/// first URL; automatic redirects would skip the scheme check. No proxy.</description></item>
/// <item><description>Connect only through the injected <see cref="Connector"/>.</description></item>
/// </list>
/// <para>A refusal is a <see cref="SsrfRefusedException"/>, thrown before any connection to the refused address, even
/// when it happens deep inside the HTTP stack.</para>
/// </remarks>
public sealed class SafeFetcher
{
    /// <summary>The most redirects followed for one request.</summary>
    public const int MaxRedirects = 3;

    private readonly IHostResolver resolver;
    private readonly Connector connect;

    public SafeFetcher(IHostResolver resolver, Connector connect)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.connect = connect ?? throw new ArgumentNullException(nameof(connect));
    }

    /// <summary>GETs <paramref name="url"/> and returns the body of the final (non-redirect) response. As library code, it
    /// never resumes on the caller's <see cref="SynchronizationContext"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is null.</exception>
    /// <exception cref="SsrfRefusedException">The URL, a redirect target or a resolved address is not allowed, or there
    /// were more than <see cref="MaxRedirects"/> redirects.</exception>
    /// <exception cref="HttpRequestException">The request failed for an ordinary reason (a non-success status).</exception>
    public Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken) => throw new NotImplementedException();
}
