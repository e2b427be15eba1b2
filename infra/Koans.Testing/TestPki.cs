using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Koans.Testing;

/// <summary>
/// A throwaway PKI in memory for TLS tests: a root CA (P-256, valid from a year before <c>now</c> for six years, so
/// that a test can issue a leaf that has already expired),
/// intermediate CAs under it, and leaf certificates for a host name with the key, validity, extended key usage and
/// issuer a test chooses. Nothing touches a certificate store or the disk. Every certificate that carries a private
/// key comes back re-imported from PKCS#12: a key attached with <c>CopyWithPrivateKey</c> is ephemeral, and SslStream
/// (and Kestrel) cannot always use an ephemeral key for a server handshake on Linux, the long-standing "export to PFX
/// and reload" workaround. Dispose the PKI to dispose the root and its key; the test owns the certificates it issues.
/// </summary>
public sealed class TestPki : IDisposable
{
    /// <summary>The extended key usage OID id-kp-serverAuth (RFC 5280 4.2.1.12): TLS server certificates.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The extended key usage OID id-kp-clientAuth (RFC 5280 4.2.1.12): TLS client certificates only.</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private readonly ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<X509Certificate2> intermediates = [];

    /// <summary>Creates the root CA <paramref name="rootName"/> (a distinguished name, "CN=Koans Test Root").</summary>
    /// <param name="now">The time the PKI's validity periods are measured from: a <c>FakeTimeProvider</c>'s now, or
    /// the real one when the code under test uses the system clock.</param>
    public TestPki(string rootName, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootName);
        Now = now;
        var request = new CertificateRequest(rootName, rootKey, HashAlgorithmName.SHA256);
        // A path length of 1 allows one level of intermediates (IssueIntermediate) and no deeper.
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(1));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(now.AddYears(-1), now.AddYears(5));
    }

    /// <summary>The time validity periods are measured from (the constructor's <c>now</c>).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The self-signed root CA certificate, with its private key: what a client trusts.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>
    /// Issues an intermediate CA <paramref name="name"/> under the root (valid from a year before <see cref="Now"/> to
    /// three years after it, path length 0: it issues leaves only), with its private key, so it can be passed as
    /// <c>issuer</c> to <see cref="IssueServer"/>. The PKI disposes it.
    /// </summary>
    public X509Certificate2 IssueIntermediate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using var issued = request.Create(Root, Now.AddYears(-1), Now.AddYears(3), NewSerialNumber());
        var intermediate = WithReloadedPrivateKey(issued, key);
        intermediates.Add(intermediate);
        return intermediate;
    }

    /// <summary>
    /// Issues a leaf certificate for <paramref name="dnsName"/> (its subject CN and its only subject alternative name)
    /// with the public key of <paramref name="key"/>, returned with that private key. Two calls with the same key give
    /// two certificates (different serial numbers) for the same SubjectPublicKeyInfo: a renewal.
    /// </summary>
    /// <param name="extendedKeyUsageOid">The one extended key usage: <see cref="ServerAuthentication"/> (the default)
    /// or, for a certificate a server must not accept as its own, <see cref="ClientAuthentication"/>.</param>
    /// <param name="notBefore">Start of validity; default an hour before <see cref="Now"/>.</param>
    /// <param name="notAfter">End of validity; default 90 days after <see cref="Now"/>.</param>
    /// <param name="issuer">The CA that signs it, with its private key: the root (the default) or a certificate from
    /// <see cref="IssueIntermediate"/>.</param>
    public X509Certificate2 IssueServer(string dnsName, ECDsa key, string extendedKeyUsageOid = ServerAuthentication,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, X509Certificate2? issuer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dnsName);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(extendedKeyUsageOid);
        issuer ??= Root;
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsageOid)], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, notBefore ?? Now.AddHours(-1), notAfter ?? Now.AddDays(90), NewSerialNumber());
        return WithReloadedPrivateKey(issued, key);
    }

    /// <summary>Disposes the root, its key and the intermediates.</summary>
    public void Dispose()
    {
        foreach (var intermediate in intermediates) intermediate.Dispose();
        Root.Dispose();
        rootKey.Dispose();
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER (RFC 5280 4.1.2.2)
        return serial;
    }

    private static X509Certificate2 WithReloadedPrivateKey(X509Certificate2 certificate, ECDsa key)
    {
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
