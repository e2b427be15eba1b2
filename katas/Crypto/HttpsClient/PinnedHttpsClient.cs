using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Koans.Crypto.HttpsClient;

/// <summary>
/// Kata crypto.https-client: a long-lived HTTPS client for one internal service, built on <see cref="HttpClient"/>,
/// that trusts exactly one private root CA and pins the service's public keys. The crypto.tls kata did this for one
/// <c>SslStream</c>; here the same decisions live inside an HTTP client's connection pool.
/// </summary>
/// <remarks>
/// <para>Every connection the client opens must pass all of these, or no request (and no header, such as a bearer
/// token) is sent on it:</para>
/// <list type="number">
/// <item><description><b>Trust.</b> The server's chain leads to <c>trustedRoot</c> and to nothing else: the machine's
/// and the user's trust stores play no part, and are not modified either (installing a root there would make every
/// program on the machine trust it). The server may send an intermediate CA between its certificate and the root.
/// The certificates are valid now (the system clock) and the server's is issued for server authentication. This test
/// CA runs no revocation service.</description></item>
/// <item><description><b>Name.</b> The certificate is issued for <c>serverName</c>. The tests' server has no DNS
/// entry: connect to the address <c>server</c>, and present <c>serverName</c> as the host you are talking to (the TLS
/// server name and the HTTP Host), so that the certificate is checked against that name. A name mismatch is a refusal,
/// not a warning to suppress because "we connect by IP".</description></item>
/// <item><description><b>Pin.</b> Some certificate of the validated chain (the server's own, an intermediate's or the
/// root's; RFC 7469 section 2.6, as OkHttp's <c>CertificatePinner</c> does) has a public key whose pin is in
/// <c>spkiPins</c>. A pin is OkHttp's format: <c>sha256/</c> followed by the base64 of the SHA-256 of the
/// certificate's DER SubjectPublicKeyInfo, what
/// <c>openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64</c>
/// prints. Pin keys, not certificates: a renewed certificate for the same key must still pass. Pins are compared
/// exactly.</description></item>
/// </list>
/// <para>A refused server surfaces as the <see cref="HttpRequestException"/> that <see cref="HttpClient"/> throws,
/// whose <see cref="Exception.InnerException"/> is the TLS layer's
/// <see cref="System.Security.Authentication.AuthenticationException"/>: let it propagate. So does a response that is
/// not a success (an <see cref="HttpRequestException"/> with its status code) and cancellation.</para>
/// <para>Build the client once and reuse it: an application creates one per service and keeps it for its lifetime.
/// Sequential requests to the same server travel over one kept-alive connection; a connection per request costs a TCP
/// and a TLS handshake each time and, at scale, exhausts the machine's sockets. <see cref="Dispose"/> releases the
/// connections; a request after it throws <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class PinnedHttpsClient : IDisposable
{
    /// <summary>Configures the client; opens no connection yet.</summary>
    /// <param name="serverName">The service's host name, which its certificate must be issued for.</param>
    /// <param name="server">Where the service listens (the tests: 127.0.0.1 and a port).</param>
    /// <param name="trustedRoot">The only root CA to trust.</param>
    /// <param name="spkiPins">Accepted public keys, <c>sha256/&lt;base64&gt;</c> each; include a backup pin for the
    /// next key.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="serverName"/> is blank; or <paramref name="spkiPins"/> is
    /// empty (it would refuse every server) or holds a pin that is not <c>sha256/</c> followed by the base64 of exactly
    /// 32 bytes (a shorter value is a prefix of a pin, not a pin). The exception names the parameter.</exception>
    public PinnedHttpsClient(string serverName, IPEndPoint server, X509Certificate2 trustedRoot, IReadOnlyCollection<string> spkiPins) =>
        throw new NotImplementedException();

    /// <summary>GETs <paramref name="pathAndQuery"/> (for example "/greeting") on the server and returns the body as a string.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pathAndQuery"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="pathAndQuery"/> is an absolute URL: this client talks to its
    /// one server only.</exception>
    /// <exception cref="HttpRequestException">The server was refused (inner
    /// <see cref="System.Security.Authentication.AuthenticationException"/>), or answered with a status that is not a
    /// success.</exception>
    public Task<string> GetStringAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Closes the client's connections.</summary>
    public void Dispose() => throw new NotImplementedException();
}
