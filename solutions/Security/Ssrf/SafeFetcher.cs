using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Koans.Security.Ssrf;

/// <summary>Reference solution for security.ssrf (the address policy).</summary>
public static class AddressPolicy
{
    // 64:ff9b::/96, the NAT64 well-known prefix: the last 32 bits are an IPv4 address.
    private static readonly byte[] Nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    public static bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return IsAllowedIPv4(address.MapToIPv4().GetAddressBytes());
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsAllowedIPv4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        if (bytes.AsSpan(0, 12).SequenceEqual(Nat64Prefix))
        {
            return IsAllowedIPv4(bytes[12..]);
        }

        // ::/96 covers ::, ::1 and the deprecated IPv4-compatible addresses.
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
    }

    private static bool IsAllowedIPv4(byte[] b) => b[0] switch
    {
        0 or 10 or 127 => false,                    // "this network", private, loopback
        100 when b[1] is >= 64 and <= 127 => false, // carrier-grade NAT
        169 when b[1] == 254 => false,              // link-local, cloud metadata
        172 when b[1] is >= 16 and <= 31 => false,  // private
        192 when b[1] == 168 => false,              // private
        >= 224 => false,                            // multicast, reserved, broadcast
        _ => true,
    };
}

/// <summary>Reference solution for security.ssrf (the fetcher).</summary>
public sealed class SafeFetcher
{
    public const int MaxRedirects = 3;

    private readonly IHostResolver resolver;
    private readonly Connector connect;

    public SafeFetcher(IHostResolver resolver, Connector connect)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.connect = connect ?? throw new ArgumentNullException(nameof(connect));
    }

    public async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            // Redirects are ours to check: the handler would follow them without asking.
            AllowAutoRedirect = false,
            // Every connection, first request or redirect, goes through the check. Resolving here, once, and connecting
            // to the address just checked is what closes DNS rebinding.
            ConnectCallback = (context, token) => ConnectCheckedAsync(context.DnsEndPoint, token),
        };
        using var http = new HttpClient(handler);

        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            CheckScheme(current);
            using var response = await SendAsync(http, current, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects == MaxRedirects)
                {
                    throw new SsrfRefusedException($"More than {MaxRedirects} redirects.");
                }

                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                continue;
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void CheckScheme(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new SsrfRefusedException("Only http and https URLs are fetched.");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SsrfRefusedException refused)
        {
            // The handler wraps whatever the connect step throws; the caller was promised the refusal itself.
            ExceptionDispatchInfo.Throw(refused);
            throw;
        }
    }

    private async ValueTask<Stream> ConnectCheckedAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        // System.Uri has already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1, so a literal parses as what it is.
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);

        if (addresses.Length == 0 || !addresses.All(AddressPolicy.IsAllowed))
        {
            throw new SsrfRefusedException($"'{endPoint.Host}' is not a public address.");
        }

        return await connect(addresses[0], endPoint.Port, cancellationToken).ConfigureAwait(false);
    }
}
