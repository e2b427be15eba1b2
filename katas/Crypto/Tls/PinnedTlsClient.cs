using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Koans.Crypto.Tls;

/// <summary>
/// Kata crypto.tls: a TLS client (<see cref="SslStream"/>) that trusts exactly one private CA and additionally pins the
/// server's public key, then exchanges an application message over the encrypted stream.
/// </summary>
/// <remarks>
/// <para>Two independent checks, both required:</para>
/// <list type="number">
/// <item><description><b>Custom trust.</b> The server's chain must lead to <em>our</em> root, as of the time from the
/// <see cref="TimeProvider"/>, and the certificate must match the host name. The machine's trust store plays no part,
/// and this test CA has no revocation service. Let the TLS stack do the chain and name checks it already knows how to
/// do, configured to trust only our root, rather than re-implementing them. A validation callback that returns
/// <c>true</c> "to make it work" turns TLS into encryption with an unknown party.</description></item>
/// <item><description><b>SPKI pin.</b> The SHA-256 of the certificate's DER SubjectPublicKeyInfo, base64 (RFC 7469's
/// pin-sha256, what <c>openssl pkey -pubout -outform der | openssl dgst -sha256 -binary | base64</c> prints), must be one of
/// the pins. Pin the key, not the certificate: a renewed certificate for the same key still matches, and you ship a
/// backup pin for the next key. Decide whether the pin comparison needs to be constant-time (is a pin a secret?) and
/// say why in a comment.</description></item>
/// </list>
/// <para>A refused handshake surfaces as <see cref="System.Security.Authentication.AuthenticationException"/> from
/// <c>AuthenticateAsClientAsync</c>: let it propagate (after disposing what you opened); so does cancellation.</para>
/// <para>The server's certificate must be certified for server authentication (its extended key usage): a leaf issued
/// only for client authentication by the same CA is refused. Missing arguments throw
/// <see cref="ArgumentNullException"/> naming the parameter, before any socket is opened. This is library code: its
/// awaits must not resume on the caller's <see cref="SynchronizationContext"/> (a caller that blocks on the task from a
/// UI thread would deadlock).</para>
/// </remarks>
public static class PinnedTlsClient
{
    /// <summary>The RFC 7469 pin-sha256 of <paramref name="certificate"/>'s public key: base64(SHA-256(SubjectPublicKeyInfo DER)).</summary>
    public static string ComputeSpkiPin(X509Certificate2 certificate) => throw new NotImplementedException();

    /// <summary>
    /// Client options for <paramref name="targetHost"/> (the SNI name and the name the certificate must match) that
    /// trust only <paramref name="trustedRoot"/> as of <paramref name="time"/>'s now and accept only a server key whose
    /// pin is in <paramref name="spkiPins"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="targetHost"/> is blank, or <paramref name="spkiPins"/> is
    /// empty (it would refuse every server).</exception>
    /// <exception cref="FormatException">A pin is not base64.</exception>
    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot,
        IReadOnlyCollection<string> spkiPins, TimeProvider time) => throw new NotImplementedException();

    /// <summary>Opens a TCP connection to <paramref name="server"/> and completes the TLS handshake.</summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The server was refused (chain, name, or pin).</exception>
    public static Task<SslStream> ConnectAsync(IPEndPoint server, SslClientAuthenticationOptions options,
        CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>
    /// Writes <paramref name="line"/> as UTF-8 followed by '\n', flushes, and returns the next line read back (without
    /// its '\n'). The peer may send the reply in several TLS records: read until the newline.
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended before a full line arrived (for example because the
    /// request never left a buffering stream).</exception>
    public static Task<string> ExchangeLineAsync(Stream stream, string line, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
