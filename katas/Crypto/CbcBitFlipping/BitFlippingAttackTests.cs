using System.Security.Cryptography;

namespace Koans.Crypto.CbcBitFlipping;

public sealed class BitFlippingAttackTests
{
    // Cryptopals set 2 challenge 16: "comment1=cooking%20MCs;userdata=" is 32 bytes, exactly two AES blocks.
    private const string AlignedPrefix = "comment1=cooking%20MCs;userdata=";

    // 26 bytes: the user's data starts 10 bytes into the second block.
    private const string UnalignedPrefix = "comment1=cooking;userdata=";

    /// <summary>Counts calls and keeps every issued cookie.</summary>
    private sealed class RecordingService(ICookieService inner) : ICookieService
    {
        public List<byte[]> Issued { get; } = [];

        public int AdminChecks { get; private set; }

        public string Prefix => inner.Prefix;

        public byte[] Issue(string userData)
        {
            var cookie = inner.Issue(userData);
            Issued.Add(cookie.ToArray());
            return cookie;
        }

        public bool IsAdmin(byte[] cookie)
        {
            AdminChecks++;
            return inner.IsAdmin(cookie);
        }
    }

    [Theory]
    [InlineData(AlignedPrefix)]
    [InlineData(UnalignedPrefix)]
    public void ForgeAdminCookie_makes_the_CBC_service_grant_admin_within_the_budget(string prefix)
    {
        using var cbc = new CbcCookieService(prefix);
        var service = new RecordingService(cbc);

        var forged = BitFlippingAttack.ForgeAdminCookie(service);

        cbc.IsAdmin(forged).Should().BeTrue(
            $"flipping a bit of ciphertext block i-1 flips the same bit of plaintext block i (prefix of {prefix.Length} bytes)");
        service.Issued.Should().HaveCountLessThanOrEqualTo(2, "the attack needs one cookie, not a search");
        service.AdminChecks.Should().BeLessThanOrEqualTo(2, "the attack is computed, not guessed");
    }

    [Fact]
    public void ForgeAdminCookie_changes_only_the_block_before_the_payload()
    {
        using var cbc = new CbcCookieService(AlignedPrefix);
        var service = new RecordingService(cbc);

        var forged = BitFlippingAttack.ForgeAdminCookie(service);

        var original = service.Issued.Where(cookie => cookie.Length == forged.Length)
            .MinBy(cookie => cookie.Zip(forged).Count(pair => pair.First != pair.Second));
        original.Should().NotBeNull("the forgery is an issued cookie with some bits flipped, so it has the same length");
        var changedBlocks = Enumerable.Range(0, forged.Length / 16)
            .Where(block => !forged.AsSpan(block * 16, 16).SequenceEqual(original!.AsSpan(block * 16, 16)))
            .ToList();
        changedBlocks.Should().ContainSingle(
            "one edited block carries all the flips: it scrambles itself and steers the next block's plaintext");
    }

    [Fact]
    public void An_issued_cookie_is_not_admin_until_it_is_tampered_with()
    {
        using var cbc = new CbcCookieService(AlignedPrefix);
        var service = new RecordingService(cbc);

        var forged = BitFlippingAttack.ForgeAdminCookie(service);

        cbc.IsAdmin(forged).Should().BeTrue("the forged cookie says admin=true");
        service.Issued.Should().OnlyContain(cookie => !cbc.IsAdmin(cookie),
            "the service quotes ';' and '=', so no cookie it issued says admin=true: the field came from the bit flips");
    }

    [Theory]
    [InlineData(AlignedPrefix)]
    [InlineData(UnalignedPrefix)]
    public void The_same_forgery_is_refused_by_AES_GCM(string prefix)
    {
        using var gcm = new GcmCookieService(prefix);

        var act = () => gcm.IsAdmin(BitFlippingAttack.ForgeAdminCookie(gcm));

        act.Should().Throw<AuthenticationTagMismatchException>(
            "GCM authenticates every ciphertext bit: a flipped bit fails the tag before any plaintext is released");
    }
}
