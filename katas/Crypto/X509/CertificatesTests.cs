using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Crypto.X509;

public sealed class CertificatesTests : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1"; // RFC 5280 section 4.2.1.12, id-kp-serverAuth

    // A fixed "now" for the whole test: every validity period and every VerificationTime derives from it.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        _disposables.ForEach(d => d.Dispose());
        _rootKey.Dispose();
        _serverKey.Dispose();
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private X509Certificate2 Root(ECDsa? key = null, string name = "CN=Koans Test Root CA") =>
        Track(CertificateAuthority.CreateRoot(name, key ?? _rootKey, _time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddYears(10)));

    private X509Certificate2 Server(X509Certificate2 root, string dnsName = "api.koans.test") =>
        Track(CertificateAuthority.IssueServerCertificate(root, _serverKey, dnsName, _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddDays(90)));

    [Fact]
    public void The_root_is_a_self_signed_CA_allowed_only_to_sign_certificates()
    {
        var root = Root();

        root.SubjectName.Name.Should().Be("CN=Koans Test Root CA");
        root.IssuerName.Name.Should().Be(root.SubjectName.Name, "a root is self-signed: issuer and subject are the same");
        root.HasPrivateKey.Should().BeTrue("the CA must be able to sign");
        var basic = root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        basic.CertificateAuthority.Should().BeTrue("BasicConstraints CA=true is what makes it a CA (RFC 5280 section 4.2.1.9)");
        basic.Critical.Should().BeTrue("RFC 5280 requires BasicConstraints to be critical in CA certificates");
        root.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.Should()
            .Be(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, "a CA key signs certificates and CRLs, nothing else");
        root.NotBefore.ToUniversalTime().Should().Be(_time.GetUtcNow().AddDays(-1).UtcDateTime, "validity comes from the arguments, not the clock");
    }

    [Fact]
    public void The_server_certificate_has_the_TLS_server_extensions()
    {
        var root = Root();
        var server = Server(root);

        server.IssuerName.Name.Should().Be(root.SubjectName.Name, "the root issued it");
        server.HasPrivateKey.Should().BeTrue("a TLS server needs its private key attached");
        server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority
            .Should().BeFalse("a leaf must not be able to issue certificates");
        server.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.Should()
            .Be(X509KeyUsageFlags.DigitalSignature, "an ECDSA TLS key signs the handshake");
        server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>()
            .Select(o => o.Value).Should().Equal([ServerAuthOid], "EKU serverAuth limits it to TLS servers");
        server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames()
            .Should().Equal(["api.koans.test"], "clients match the host name against the SAN");
        server.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Should().ContainSingle("the AKI names the issuer's key");
    }

    [Fact]
    public void Serial_numbers_are_random_and_positive()
    {
        var root = Root();
        var first = Server(root);
        var second = Server(root);

        first.SerialNumber.Should().NotBe(second.SerialNumber, "serials come from a CSPRNG, never a counter");
        first.SerialNumberBytes.Length.Should().BeInRange(15, 16, "16 random bytes with the top bit cleared (DER drops a leading zero byte)");
        (first.SerialNumberBytes.Span[0] & 0x80).Should().Be(0, "a serial number is a positive INTEGER (RFC 5280 section 4.1.2.2)");
    }

    [Fact]
    public void A_chain_to_the_custom_root_validates_for_the_right_host()
    {
        var root = Root();
        var server = Server(root);
        var trusted = new X509Certificate2Collection(root);

        CertificateValidator.ChainProblems(server, trusted, _time.GetUtcNow())
            .Should().Be(X509ChainStatusFlags.NoError, "the leaf chains to a root we trust, and both are in their validity period");
        CertificateValidator.IsValidServerCertificate(server, trusted, "api.koans.test", _time.GetUtcNow())
            .Should().BeTrue("chain and host name are both good");
    }

    [Fact]
    public void A_valid_chain_for_another_host_name_is_rejected()
    {
        var root = Root();
        var server = Server(root);

        CertificateValidator.IsValidServerCertificate(server, new X509Certificate2Collection(root), "evil.koans.test", _time.GetUtcNow())
            .Should().BeFalse("the SAN says api.koans.test: a good chain for another name proves nothing about this one");
    }

    [Fact]
    public void An_expired_certificate_is_rejected()
    {
        var root = Root();
        var server = Server(root);
        _time.Advance(TimeSpan.FromDays(91));

        CertificateValidator.ChainProblems(server, new X509Certificate2Collection(root), _time.GetUtcNow())
            .Should().HaveFlag(X509ChainStatusFlags.NotTimeValid, "91 days later the 90-day certificate has expired");
        CertificateValidator.IsValidServerCertificate(server, new X509Certificate2Collection(root), "api.koans.test", _time.GetUtcNow())
            .Should().BeFalse("an expired certificate is not valid, whatever the host name");
    }

    [Fact]
    public void A_certificate_not_yet_valid_is_rejected()
    {
        var root = Root();
        var server = Server(root);

        CertificateValidator.ChainProblems(server, new X509Certificate2Collection(root), _time.GetUtcNow().AddHours(-2))
            .Should().HaveFlag(X509ChainStatusFlags.NotTimeValid, "two hours ago the certificate (notBefore = now - 1 h) was not yet valid");
    }

    [Fact]
    public void A_certificate_from_an_unknown_CA_is_rejected()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = Root();
        var stranger = Root(otherKey, "CN=Some Other CA");
        var server = Server(stranger);

        var problems = CertificateValidator.ChainProblems(server, new X509Certificate2Collection(root), _time.GetUtcNow());

        (problems & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)).Should()
            .NotBe(X509ChainStatusFlags.NoError, "the issuer is not in our custom trust store, so no chain reaches a trusted root");
        CertificateValidator.IsValidServerCertificate(server, new X509Certificate2Collection(root), "api.koans.test", _time.GetUtcNow())
            .Should().BeFalse("a name match is worth nothing without trust");
    }

    [Fact]
    public void A_certificate_issued_by_a_leaf_is_rejected()
    {
        var root = Root();
        var server = Server(root);
        // Mallory owns a legitimate leaf (and its key) and signs a certificate for someone else's name with it.
        // CertificateRequest.Create(issuerCert, ...) refuses a non-CA issuer, so she uses a raw signature generator.
        using var malloryKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bank.koans.test", malloryKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("bank.koans.test");
        request.CertificateExtensions.Add(san.Build());
        using var forged = request.Create(server.SubjectName, X509SignatureGenerator.CreateForECDsa(_serverKey),
            _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddDays(30), [0x01, 0x02, 0x03]);

        var problems = CertificateValidator.ChainProblems(forged, new X509Certificate2Collection(root), _time.GetUtcNow(),
            intermediates: new X509Certificate2Collection(server));

        problems.Should().HaveFlag(X509ChainStatusFlags.InvalidBasicConstraints,
            "the issuer (a leaf, BasicConstraints CA=false) may not issue certificates: the 2002 IE basicConstraints bug (Moxie Marlinspike)");
    }
}
