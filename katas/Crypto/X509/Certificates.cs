using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Koans.Crypto.X509;

/// <summary>
/// Kata crypto.x509: issue a small PKI (a root CA and a TLS server certificate) with the base library's X.509 support,
/// then validate a chain against <em>your own</em> trust anchor, never the machine's store.
/// </summary>
/// <remarks>
/// <para>Keys are ECDSA P-256, signatures ECDSA with SHA-256. Every time is passed in (a test derives it from a
/// <c>FakeTimeProvider</c>): never <c>DateTime.Now</c>, which would make validity depend on when the code runs.</para>
/// <para>Serial numbers are random (16 bytes from a cryptographically secure source, positive): predictable serials are how the
/// 2008 MD5 rogue-CA attack got a colliding certificate signed (CA/B Forum now requires 64+ random bits).</para>
/// </remarks>
public static class CertificateAuthority
{
    /// <summary>
    /// A self-signed root CA certificate (with its private key) for <paramref name="subjectName"/> (e.g. "CN=Koans Root CA"),
    /// valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>, with: BasicConstraints CA=true, path
    /// length 1 (critical); KeyUsage keyCertSign|cRLSign (critical); a SubjectKeyIdentifier.
    /// </summary>
    public static X509Certificate2 CreateRoot(string subjectName, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        throw new NotImplementedException();

    /// <summary>
    /// A TLS server certificate for <paramref name="dnsName"/> ("CN=" the name), signed by <paramref name="issuer"/>
    /// (which must carry its private key), returned <em>with</em> <paramref name="serverKey"/> attached. Extensions: BasicConstraints CA=false (critical); KeyUsage digitalSignature (critical);
    /// ExtendedKeyUsage serverAuth (1.3.6.1.5.5.7.3.1, not critical, as the CA/Browser Forum requires); SubjectAlternativeName with the DNS name (clients match the
    /// SAN, not the CN: RFC 6125, and browsers ignore the CN since 2017); SubjectKeyIdentifier and AuthorityKeyIdentifier (the issuer's key
    /// identifier only, not its name and serial). A random positive 16-byte serial number.
    /// </summary>
    /// <exception cref="ArgumentException">The validity period does not fit inside the issuer's, or
    /// <paramref name="dnsName"/> is null, empty or white space.</exception>
    public static X509Certificate2 IssueServerCertificate(X509Certificate2 issuer, ECDsa serverKey, string dnsName,
        DateTimeOffset notBefore, DateTimeOffset notAfter) => throw new NotImplementedException();
}

/// <summary>Chain and host name validation against an explicit set of trusted roots.</summary>
/// <remarks>
/// Trust exactly the given roots (the machine's store plays no part), judge validity as of the given time (never the
/// clock), require the serverAuth purpose, and do not check revocation (our test CA has no CRL or OCSP; in production
/// you decide this on purpose). Use the platform's chain builder: do not re-implement path validation (RFC 5280
/// section 6). Dispose what it gives you.
/// </remarks>
public static class CertificateValidator
{
    /// <summary>
    /// Builds the chain from <paramref name="leaf"/> to one of <paramref name="trustedRoots"/> as of
    /// <paramref name="verificationTime"/> and returns every problem found, OR-ed over all chain elements:
    /// <see cref="X509ChainStatusFlags.NoError"/> when the chain is good. For example an expired certificate gives
    /// <c>NotTimeValid</c>, an unknown issuer <c>PartialChain</c> or <c>UntrustedRoot</c>, a non-CA issuer
    /// <c>InvalidBasicConstraints</c>. <paramref name="intermediates"/>, if given, go to the policy's <c>ExtraStore</c>:
    /// candidates for building the chain, never trusted themselves.
    /// </summary>
    public static X509ChainStatusFlags ChainProblems(X509Certificate2 leaf, X509Certificate2Collection trustedRoots,
        DateTimeOffset verificationTime, X509Certificate2Collection? intermediates = null) => throw new NotImplementedException();

    /// <summary>
    /// True only if the chain has no problems <em>and</em> the leaf is valid for <paramref name="hostName"/>
    /// (matched against the SAN, RFC 6125: a wildcard such as *.example.com covers exactly one label; the CN is never
    /// consulted, even when there is no SAN). A valid chain for another name is worthless:
    /// any CA customer can get one.
    /// </summary>
    public static bool IsValidServerCertificate(X509Certificate2 leaf, X509Certificate2Collection trustedRoots,
        string hostName, DateTimeOffset verificationTime) => throw new NotImplementedException();
}
