using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Koans.Crypto.Tls;

/// <summary>Reference solution for crypto.tls.</summary>
public static class PinnedTlsClient
{
    public static string ComputeSpkiPin(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    public static SslClientAuthenticationOptions CreateOptions(string targetHost, X509Certificate2 trustedRoot,
        IReadOnlyCollection<string> spkiPins, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHost);
        ArgumentNullException.ThrowIfNull(trustedRoot);
        ArgumentNullException.ThrowIfNull(spkiPins);
        ArgumentNullException.ThrowIfNull(time);
        if (spkiPins.Count == 0)
        {
            throw new ArgumentException("At least one pin (and in production a backup pin).", nameof(spkiPins));
        }

        // Decoded once; a malformed pin fails here (FormatException), not silently at handshake time.
        var pins = spkiPins.Select(Convert.FromBase64String).ToArray();

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck, // the test CA publishes no CRL/OCSP
            VerificationTime = time.GetUtcNow().UtcDateTime,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(trustedRoot);
        // No ApplicationPolicy entry for serverAuth: SslStream requires that EKU on the server's chain itself, even with
        // a custom policy (the clientAuth-only test passes without one). A learner building an X509Chain by hand must add it.

        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost, // SNI, and the name SslStream checks the certificate against
            CertificateChainPolicy = policy, // SslStream builds the chain with our root and our time
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.None, // OS default: TLS 1.2/1.3
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                // 1. Chain to our root, in validity, name matches: SslStream says so with None. Nothing else passes.
                if (errors != SslPolicyErrors.None || certificate is null)
                {
                    return false;
                }

                // 2. The key is one we pinned. Pins are public values, so timing is not a concern here;
                // FixedTimeEquals is used anyway so nobody copies a variable-time comparison into code where it matters.
                using var leaf = new X509Certificate2(certificate);
                var actual = SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo());
                return pins.Any(pin => CryptographicOperations.FixedTimeEquals(pin, actual));
            },
        };
    }

    public static async Task<SslStream> ConnectAsync(IPEndPoint server, SslClientAuthenticationOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);

        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        SslStream? tls = null;
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true)); // disposing tls closes the socket
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false); // also closes the socket
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    public static async Task<string> ExchangeLineAsync(Stream stream, string line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(line);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Byte at a time keeps it simple and never reads past the reply (a StreamReader would buffer ahead and lose
        // bytes between calls). Fine for a kata; a real protocol uses length prefixes or System.IO.Pipelines.
        var reply = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"The stream ended after {reply.Count} bytes, before the end of the line.");
            }

            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. reply]);
            }

            reply.Add(one[0]);
        }
    }
}
