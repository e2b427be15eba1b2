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
        var keyUsage = root.Extensions.OfType<X509KeyUsageExtension>().Single();
        keyUsage.KeyUsages.Should()
            .Be(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, "a CA key signs certificates and CRLs, nothing else");
        keyUsage.Critical.Should().BeTrue("RFC 5280 section 4.2.1.3: KeyUsage SHOULD be critical, so a client that cannot read it refuses the key");
        root.NotBefore.ToUniversalTime().Should().Be(_time.GetUtcNow().AddDays(-1).UtcDateTime, "validity comes from the arguments, not the clock");
    }

    [Fact]
    public void The_server_certificate_has_the_TLS_server_extensions()
    {
        var root = Root();
        var server = Server(root);

        server.IssuerName.Name.Should().Be(root.SubjectName.Name, "the root issued it");
        server.HasPrivateKey.Should().BeTrue("a TLS server needs its private key attached");
        var basic = server.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        basic.CertificateAuthority.Should().BeFalse("a leaf must not be able to issue certificates");
        basic.Critical.Should().BeTrue("the leaf's BasicConstraints is critical too: a client that cannot read it must not guess");
        var keyUsage = server.Extensions.OfType<X509KeyUsageExtension>().Single();
        keyUsage.KeyUsages.Should().Be(X509KeyUsageFlags.DigitalSignature, "an ECDSA TLS key signs the handshake");
        keyUsage.Critical.Should().BeTrue("RFC 5280 section 4.2.1.3: KeyUsage SHOULD be critical");
        var extendedKeyUsage = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        extendedKeyUsage.EnhancedKeyUsages.Cast<Oid>()
            .Select(o => o.Value).Should().Equal([ServerAuthOid], "EKU serverAuth limits it to TLS servers");
        extendedKeyUsage.Critical.Should().BeFalse("the CA/Browser Forum Baseline Requirements (7.1.2.7.6) say a subscriber's extKeyUsage is not critical");
        server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames()
            .Should().Equal(["api.koans.test"], "clients match the host name against the SAN");
        server.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Should()
            .ContainSingle("RFC 5280 section 4.2.1.2: the leaf's SKI names its own key, so it can be found as an issuer or pinned");
        var authorityKey = server.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        authorityKey.KeyIdentifier.Should().NotBeNull("the AKI carries the issuer's key identifier, which chain builders match");
        authorityKey.KeyIdentifier!.Value.ToArray().Should()
            .Equal(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(),
                "the leaf's AKI key identifier is the root's SKI: that is how a builder finds the issuer among many");
        authorityKey.SerialNumber.Should().BeNull("identify the issuer by its key only: issuer name and serial would pin one certificate, and break on a re-issued root");
    }

    [Fact]
    public void Serial_numbers_are_random_and_positive()
    {
        var root = Root();
        var serials = Enumerable.Range(0, 24).Select(_ => Server(root).SerialNumberBytes.ToArray()).ToList();

        serials.Select(Convert.ToHexString).Should().OnlyHaveUniqueItems("serials come from a CSPRNG, never a counter");
        foreach (var serial in serials)
        {
            serial.Length.Should().BeInRange(15, 16, "16 random bytes with the top bit cleared (DER drops a leading zero byte)");
            (serial[0] & 0x80).Should().Be(0, "a serial number is a positive INTEGER (RFC 5280 section 4.1.2.2)");
        }

        serials.Select(s => s[0]).Distinct().Should().HaveCountGreaterThan(1,
            "only the top bit is forced to zero: the other seven bits of the first byte stay random (24 serials with one first byte means a constant)");
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

    [Fact]
    public void A_blank_dns_name_is_refused()
    {
        var root = Root();

        FluentActions.Invoking(() => Server(root, dnsName: " ")).Should().Throw<ArgumentException>(
            "a certificate for a blank name vouches for no host: refuse it instead of signing it");
    }

    // A leaf the test issues itself from the root, with only the extensions given (no SAN unless asked for).
    private X509Certificate2 CustomLeaf(X509Certificate2 root, string subjectName, string? sanDnsName, string purposeOid)
    {
        var request = new CertificateRequest(subjectName, _serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purposeOid)], critical: false));
        if (sanDnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(sanDnsName);
            request.CertificateExtensions.Add(san.Build());
        }

        return Track(request.Create(root, _time.GetUtcNow().AddHours(-1), _time.GetUtcNow().AddDays(30), [0x05, 0x06, 0x07]));
    }

    [Fact]
    public void A_certificate_for_TLS_clients_only_is_rejected_for_a_server()
    {
        var root = Root();
        const string clientAuthOid = "1.3.6.1.5.5.7.3.2"; // RFC 5280 section 4.2.1.12, id-kp-clientAuth
        var clientCertificate = CustomLeaf(root, "CN=api.koans.test", "api.koans.test", clientAuthOid);

        CertificateValidator.ChainProblems(clientCertificate, new X509Certificate2Collection(root), _time.GetUtcNow())
            .Should().HaveFlag(X509ChainStatusFlags.NotValidForUsage,
                "the EKU says clientAuth only: a server presenting it is using a key issued for another purpose, so require serverAuth");
        CertificateValidator.IsValidServerCertificate(clientCertificate, new X509Certificate2Collection(root), "api.koans.test", _time.GetUtcNow())
            .Should().BeFalse("right chain and right name, wrong purpose");
    }

    [Fact]
    public void A_host_name_only_in_the_common_name_is_rejected()
    {
        var root = Root();
        var legacy = CustomLeaf(root, "CN=api.koans.test", sanDnsName: null, ServerAuthOid);

        CertificateValidator.ChainProblems(legacy, new X509Certificate2Collection(root), _time.GetUtcNow())
            .Should().Be(X509ChainStatusFlags.NoError, "the chain itself is fine");
        CertificateValidator.IsValidServerCertificate(legacy, new X509Certificate2Collection(root), "api.koans.test", _time.GetUtcNow())
            .Should().BeFalse("RFC 6125 section 6.4.4 and browsers since 2017 (Chrome 58) match the SAN only: the CN fallback is off");
    }

    [Fact]
    public void A_wildcard_SAN_covers_one_label_of_its_domain()
    {
        var root = Root();
        var wildcard = CustomLeaf(root, "CN=koans.test wildcard", "*.koans.test", ServerAuthOid);
        var trusted = new X509Certificate2Collection(root);

        CertificateValidator.IsValidServerCertificate(wildcard, trusted, "api.koans.test", _time.GetUtcNow())
            .Should().BeTrue("RFC 6125 section 6.4.3: *.koans.test matches api.koans.test, and wildcard certificates are common in practice");
        CertificateValidator.IsValidServerCertificate(wildcard, trusted, "a.b.koans.test", _time.GetUtcNow())
            .Should().BeFalse("the wildcard stands for exactly one label");
    }
}
