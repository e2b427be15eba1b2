using System.Net;
using System.Text.RegularExpressions;

namespace Koans.Security.Ssrf;

/// <summary>Name resolution, injected: production wraps <c>Dns.GetHostAddressesAsync</c>; tests answer what they like.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>Opens a TCP connection to exactly <paramref name="address"/>:<paramref name="port"/>. Injected so that tests
/// can stand in for the internet (they only ever connect to 127.0.0.1).</summary>
public delegate ValueTask<Stream> Connector(IPAddress address, int port, CancellationToken cancellationToken);

/// <summary>An outbound request was refused by the policy, before any connection to the refused address.</summary>
public sealed class SsrfRefusedException(string message) : Exception(message);

/// <summary>
/// Provided: the "fetch a URL for the user" feature as first written: a deny-list of host spellings checked on the URL
/// text, automatic redirects, and name resolution done once to check and again to connect. The tests run every attack
/// against it first, to show the attack is real.
/// </summary>
public sealed class NaiveFetcher(IHostResolver resolver, Connector connect)
{
    private static readonly string[] Denied = ["localhost", "127.0.0.1", "169.254.169.254", "[::1]", "0.0.0.0"];

    public async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = Regex.Match(url.OriginalString, @"^https?://(\[[^\]]+\]|[^/:]+)").Groups[1].Value;
        if (Denied.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            throw new SsrfRefusedException("denied host");
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            foreach (var address in await resolver.ResolveAsync(host, cancellationToken))
            {
                if (IPAddress.IsLoopback(address))
                {
                    throw new SsrfRefusedException("loopback");
                }
            }
        }

        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            ConnectCallback = async (context, token) =>
            {
                var target = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
                    ? literal
                    : (await resolver.ResolveAsync(context.DnsEndPoint.Host, token))[0];
                return await connect(target, context.DnsEndPoint.Port, token);
            },
        };
        using var http = new HttpClient(handler);
        return await http.GetStringAsync(url, cancellationToken);
    }
}
