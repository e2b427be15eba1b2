using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Koans.Crypto.X509;

/// <summary>Reference solution for crypto.x509: issuing.</summary>
public static class CertificateAuthority
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 CreateRoot(string subjectName, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subjectName, key, HashAlgorithmName.SHA256);
        // pathLen 1: this root may sign intermediates, which may sign only leaves.
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(pathLengthConstraint: 1));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    public static X509Certificate2 IssueServerCertificate(X509Certificate2 issuer, ECDsa serverKey, string dnsName,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        // Null keys, issuers and roots are refused by the platform calls below (ArgumentNullException); an empty
        // name is not, and would produce a certificate for no host at all.
        ArgumentException.ThrowIfNullOrWhiteSpace(dnsName);

        var request = new CertificateRequest(new X500DistinguishedName($"CN={dnsName}"), serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer,
            includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive INTEGER

        // Create checks that the issuer is a CA with keyCertSign and that the validity nests inside the issuer's.
        using var withoutKey = request.Create(issuer, notBefore, notAfter, serial);
        return withoutKey.CopyWithPrivateKey(serverKey);
    }
}

/// <summary>Reference solution for crypto.x509: validation.</summary>
public static class CertificateValidator
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static X509ChainStatusFlags ChainProblems(X509Certificate2 leaf, X509Certificate2Collection trustedRoots,
        DateTimeOffset verificationTime, X509Certificate2Collection? intermediates = null)
    {

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust; // only our roots; the OS store plays no part
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // test PKI without CRL/OCSP: a deliberate choice
        chain.ChainPolicy.VerificationTime = verificationTime.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthOid));
        chain.ChainPolicy.DisableCertificateDownloads = true; // no AIA fetches: validation must not touch the network

        try
        {
            chain.Build(leaf);
            // ChainStatus is already the union of every element's status, so OR-ing it is all of the chain's problems.
            return chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    public static bool IsValidServerCertificate(X509Certificate2 leaf, X509Certificate2Collection trustedRoots,
        string hostName, DateTimeOffset verificationTime) =>
        ChainProblems(leaf, trustedRoots, verificationTime) == X509ChainStatusFlags.NoError
        && leaf.MatchesHostname(hostName, allowWildcards: true, allowCommonName: false);
}
