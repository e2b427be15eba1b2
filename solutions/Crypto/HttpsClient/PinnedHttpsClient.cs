using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Koans.Crypto.HttpsClient;

/// <summary>Reference solution for crypto.https-client.</summary>
public sealed class PinnedHttpsClient : IDisposable
{
    private const string PinPrefix = "sha256/";

    private readonly HttpClient _http;
    private readonly byte[][] _pins;

    public PinnedHttpsClient(string serverName, IPEndPoint server, X509Certificate2 trustedRoot, IReadOnlyCollection<string> spkiPins)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(trustedRoot);
        ArgumentNullException.ThrowIfNull(spkiPins);
        _pins = ParsePins(spkiPins); // a typo in a pin fails here, at start-up, not as "every handshake refused"

        // Trust exactly one root: CustomRootTrust ignores the machine's store (and the user's), so a certificate from
        // any other CA, public or private, fails the chain. Revocation is off only because this private test CA runs
        // no CRL or OCSP service (NOTES.md says what a production client does); no AIA downloads either.
        var chainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        chainPolicy.CustomTrustStore.Add(trustedRoot);

        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // SslStream builds the chain with this policy (adding the intermediates the server sent) and checks
                // the host name; the callback sees the verdict in sslPolicyErrors and the chain it built.
                CertificateChainPolicy = chainPolicy,
                RemoteCertificateValidationCallback = (_, _, chain, errors) => errors == SslPolicyErrors.None && IsPinned(chain!),
            },
            // One handler for the client's lifetime reuses connections; recycling them now and then picks up DNS
            // changes, the one thing a forever-pooled connection would miss.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // The tests' server has an address but no DNS name. SocketsHttpHandler overwrites SslOptions.TargetHost with
        // the request's host: the Host header if set, else the URI's. So the URI says where to connect, and the Host
        // header says who we expect there: SNI and the certificate's name check both use serverName.
        _http = new HttpClient(handler) { BaseAddress = new Uri($"https://{server}/") };
        _http.DefaultRequestHeaders.Host = serverName;
    }

    public Task<string> GetStringAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        if (!Uri.TryCreate(pathAndQuery, UriKind.Relative, out var relative))
        {
            throw new ArgumentException("A path on this client's server, not an absolute URL.", nameof(pathAndQuery));
        }

        return _http.GetStringAsync(relative, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// RFC 7469 2.6 (and OkHttp's CertificatePinner): a pin may name any key in the validated chain, leaf, intermediate
    /// or root. The chain is the one SslStream built to our root, not the certificates the server chose to send: pinning
    /// against the sent list let an attacker append the pinned certificate to a chain from another CA (CVE-2016-2402).
    /// </summary>
    private bool IsPinned(X509Chain chain)
    {
        foreach (var element in chain.ChainElements)
        {
            var spkiHash = SHA256.HashData(element.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
            // Pins are public, so timing leaks nothing here; an exact, fixed-time comparison is still the habit to keep.
            if (_pins.Any(pin => CryptographicOperations.FixedTimeEquals(pin, spkiHash)))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[][] ParsePins(IReadOnlyCollection<string> spkiPins)
    {
        if (spkiPins.Count == 0)
        {
            throw new ArgumentException("At least one pin (and in production a backup pin for the next key).", nameof(spkiPins));
        }

        return [.. spkiPins.Select(pin =>
        {
            var hash = new byte[SHA256.HashSizeInBytes];
            // Exactly 32 bytes: a shorter value would be a prefix of a pin, and a prefix matches keys it should not.
            if (pin is null || !pin.StartsWith(PinPrefix, StringComparison.Ordinal)
                || !Convert.TryFromBase64String(pin[PinPrefix.Length..], hash, out var written) || written != hash.Length)
            {
                throw new ArgumentException($"'{pin}' is not sha256/ followed by the base64 of a SHA-256 hash.", nameof(spkiPins));
            }

            return hash;
        })];
    }
}
