using System.Text;

namespace Koans.Crypto.PasswordHashing;

public class PasswordHasherTests
{
    // Small costs keep the tests fast; production uses PasswordPolicy.Default or more.
    private static readonly PasswordPolicy TestPolicy = new(MemoryKiB: 8192, Iterations: 2);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    // libsodium test/default/pwhash_argon2id.c, tv3() entry [2]: the empty password verifies against this string
    // (pwhash_argon2id.exp lists tv3 failures only for entries 0, 1 and 3). m = 4882 KiB, t = 2, p = 1.
    private const string LibsodiumEmptyPasswordHash =
        "$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE";

    // RFC 7914 section 11: PBKDF2-HMAC-SHA-256 (P="passwd", S="salt", c=1, dkLen=64).
    [Fact]
    public void Pbkdf2Sha256_matches_RFC_7914_section_11_with_one_iteration() =>
        Hex(PasswordHasher.Pbkdf2Sha256("passwd"u8, "salt"u8, 1, 64)).Should().Be(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc" +
            "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
            "RFC 7914 section 11 gives these 64 bytes for P=\"passwd\", S=\"salt\", c=1");

    // RFC 7914 section 11: PBKDF2-HMAC-SHA-256 (P="Password", S="NaCl", c=80000, dkLen=64).
    [Fact]
    public void Pbkdf2Sha256_matches_RFC_7914_section_11_with_80000_iterations() =>
        Hex(PasswordHasher.Pbkdf2Sha256("Password"u8, "NaCl"u8, 80000, 64)).Should().Be(
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56" +
            "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
            "RFC 7914 section 11 gives these 64 bytes for P=\"Password\", S=\"NaCl\", c=80000");

    // RFC 9106 section 5.3 (Argon2id) cannot be reproduced here: it uses 4 lanes (p=4), a secret K and associated data X,
    // and libsodium/NSec support one lane and neither input. This vector is libsodium's own:
    // test/default/pwhash_argon2id.c, tv() entry [6] (passwd_len 34, outlen 231, opslimit 1, memlimit 1631659 bytes,
    // lanes 1), expected output on line 7 of pwhash_argon2id.exp (the 4th line there is entry [3]'s intended failure).
    // libsodium reads only crypto_pwhash_SALTBYTES = 16 bytes of the salt hex, and takes memory as memlimit / 1024
    // = 1593 KiB.
    [Fact]
    public void Argon2id_matches_libsodiums_published_test_vector() =>
        Hex(PasswordHasher.Argon2id(
                Convert.FromHexString("b540beb016a5366524d4605156493f9874514a5aa58818cd0c6dfffaa9e90205f17b"),
                Convert.FromHexString("44071f6d181561670bda728d43fb79b4"),
                memoryKiB: 1631659 / 1024, iterations: 1, length: 231))
            .Should().Be(
                "7fb72409b0987f8190c3729710e98c3f80c5a8727d425fdcde7f3644d467fe973f5b5fee683bd3fce812cb9ae5e9921a2d06c2f1905e" +
                "4e839692f2b934b682f11a2fe2b90482ea5dd234863516dba6f52dc0702d324ec77d860c2e181f84472bd7104fedce071ffa93c53094" +
                "94ad51623d214447a7b2b1462dc7d5d55a1f6fd5b54ce024118d86f0c6489d16545aaa87b6689dad9f2fb47fda9894f8e12b87d978b4" +
                "83ccd4cc5fd9595cdc7a818452f915ce2f7df95ec12b1c72e3788d473441d884f9748eb14703c21b45d82fd667b85f5b2d98c13303b3" +
                "fe76285531a826b6fc0fe8e3dddecf",
                "libsodium's pwhash_argon2id test publishes this output for one lane, t=1, m=1593 KiB");

    [Fact]
    public void Verify_accepts_libsodiums_published_argon2id_string() =>
        PasswordHasher.Verify("", LibsodiumEmptyPasswordHash).Should().BeTrue(
            "libsodium's test suite verifies the empty password against this PHC string: the parameters come from the string");

    [Fact]
    public void HashArgon2id_writes_a_self_describing_PHC_string_that_verifies()
    {
        var stored = PasswordHasher.HashArgon2id("correct horse battery staple", TestPolicy);

        stored.Should().StartWith("$argon2id$v=19$m=8192,t=2,p=1$",
            "the string must carry the algorithm, version and costs so it can be verified after the policy changes");
        var parts = stored.Split('$');
        parts.Should().HaveCount(6);
        Convert.FromBase64String(parts[4] + "==").Should().HaveCount(16, "the salt is 16 bytes, base64 without padding");
        PasswordHasher.Verify("correct horse battery staple", stored).Should().BeTrue();
    }

    [Fact]
    public void HashPbkdf2_writes_a_self_describing_PHC_string_that_verifies()
    {
        var stored = PasswordHasher.HashPbkdf2("correct horse battery staple", 1000);

        stored.Should().StartWith("$pbkdf2-sha256$i=1000$");
        stored.Split('$').Should().HaveCount(5);
        PasswordHasher.Verify("correct horse battery staple", stored).Should().BeTrue();
    }

    [Fact]
    public void Hashing_the_same_password_twice_gives_different_strings()
    {
        var first = PasswordHasher.HashArgon2id("hunter2", TestPolicy);
        var second = PasswordHasher.HashArgon2id("hunter2", TestPolicy);

        first.Should().NotBe(second,
            "each hash gets a fresh random salt, so equal passwords do not show up as equal hashes in a leaked table");
    }

    [Fact]
    public void Verify_rejects_a_wrong_password() =>
        PasswordHasher.Verify("not empty", LibsodiumEmptyPasswordHash).Should().BeFalse(
            "the string was made from the empty password");

    [Fact]
    public void Verify_rejects_a_wrong_password_against_pbkdf2()
    {
        var stored = PasswordHasher.HashPbkdf2("hunter2", 1000);

        PasswordHasher.Verify("hunter3", stored).Should().BeFalse("one changed character is a different password");
    }

    // Each row changes one significant character (not the last base64 character, whose low bits are padding).
    [Theory]
    [InlineData("$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g7JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Om8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=4882,t=2,p=1$cA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=4883,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    public void Verify_rejects_a_tampered_hash_salt_or_cost(string tampered) =>
        PasswordHasher.Verify("", tampered).Should().BeFalse(
            "one character of libsodium's string was changed: the recomputed hash no longer matches");

    [Theory]
    [InlineData("")]
    [InlineData("argon2id")]
    [InlineData("$md5$salt$hash")]
    [InlineData("$argon2id$v=16$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=lots,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=4882,t=2,p=4$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=1073741824,t=2,p=1$bA81arsiXysd3WbTRzmEOw$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$argon2id$v=19$m=4882,t=2,p=1$bA81arsiXysd3WbTRzmEOw$%%%notbase64%%%")]
    [InlineData("$pbkdf2-sha256$i=-5$c2FsdHNhbHRzYWx0c2FsdA$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")]
    [InlineData("$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA==$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")] // padded salt
    [InlineData("$pbkdf2-sha256$i=1000$$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE")] // empty salt
    [InlineData("$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$AA")] // a 1-byte hash: one guess in 256 would pass
    [InlineData("$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$Nm8QBM+7RH1DXo9rvp5cwKEOOOfD2g6JuxlXihoNcpE=")] // padded hash
    public void Verify_rejects_a_malformed_or_unsupported_string_with_FormatException(string malformed)
    {
        var act = () => PasswordHasher.Verify("password", malformed);

        act.Should().Throw<FormatException>(
            "a string that cannot be parsed (or asks for 1 TiB of memory, or 4 lanes) is corrupt data, not a wrong password");
    }

    [Fact]
    public void Verify_reads_the_hash_length_from_the_stored_string()
    {
        // python3 -c "import hashlib; print(hashlib.pbkdf2_hmac('sha256', b'password', b'saltsaltsaltsalt', 1000, 16).hex())"
        // gives f275fb870144cc807c68f6a325360af3, base64 8nX7hwFEzIB8aPajJTYK8w: a 16-byte hash an older system wrote.
        const string sixteenByteHash = "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$8nX7hwFEzIB8aPajJTYK8w";

        PasswordHasher.Verify("password", sixteenByteHash).Should().BeTrue(
            "the stored string says how long its hash is; recompute that many bytes, not always 32");
        PasswordHasher.NeedsRehash(sixteenByteHash, TestPolicy).Should().BeTrue("a PBKDF2 hash is migrated anyway");
    }

    [Fact]
    public void Null_arguments_are_refused_by_name()
    {
        var stored = PasswordHasher.HashPbkdf2("hunter2", 1000);

        ((Action)(() => PasswordHasher.HashArgon2id(null!, TestPolicy))).Should().Throw<ArgumentNullException>().WithParameterName("password");
        ((Action)(() => PasswordHasher.HashArgon2id("hunter2", null!))).Should().Throw<ArgumentNullException>().WithParameterName("policy");
        ((Action)(() => PasswordHasher.HashPbkdf2(null!, 1000))).Should().Throw<ArgumentNullException>().WithParameterName("password");
        ((Action)(() => PasswordHasher.Verify(null!, stored))).Should().Throw<ArgumentNullException>().WithParameterName("password");
        ((Action)(() => PasswordHasher.NeedsRehash(stored, null!))).Should().Throw<ArgumentNullException>().WithParameterName("policy",
            "a missing policy is the caller's bug, even when the stored hash is PBKDF2 and the answer would not need the policy");
    }

    [Fact]
    public void NeedsRehash_is_true_for_an_argon2id_hash_shorter_than_32_bytes()
    {
        // The salt of libsodium's vector above, a 16-byte hash, and costs equal to the test policy: only the length is weak.
        const string shortHash = "$argon2id$v=19$m=8192,t=2,p=1$bA81arsiXysd3WbTRzmEOw$AAAAAAAAAAAAAAAAAAAAAA";

        PasswordHasher.NeedsRehash(shortHash, TestPolicy).Should().BeTrue(
            "new hashes are 32 bytes; a shorter stored hash is rehashed at the next login, like a cheaper cost");
    }

    [Fact]
    public void Argon2id_refuses_a_salt_that_is_not_16_bytes()
    {
        var act = () => PasswordHasher.Argon2id("password"u8, new byte[8], 8192, 2, 32);

        act.Should().Throw<ArgumentException>("libsodium's Argon2id takes exactly 16-byte salts");
    }

    [Fact]
    public void HashPbkdf2_refuses_a_zero_iteration_count()
    {
        var act = () => PasswordHasher.HashPbkdf2("hunter2", 0);

        act.Should().Throw<ArgumentOutOfRangeException>("PBKDF2 needs at least one iteration (RFC 8018 section 5.2: c is a positive integer)");
    }

    [Fact]
    public void NeedsRehash_is_false_for_a_hash_made_under_the_current_policy()
    {
        var stored = PasswordHasher.HashArgon2id("hunter2", TestPolicy);

        PasswordHasher.NeedsRehash(stored, TestPolicy).Should().BeFalse("the stored costs equal the policy");
    }

    [Theory]
    [InlineData(8192, 3)]
    [InlineData(16384, 2)]
    public void NeedsRehash_is_true_when_the_policy_is_stronger_than_the_stored_hash(int memoryKiB, int iterations)
    {
        var stored = PasswordHasher.HashArgon2id("hunter2", TestPolicy);

        PasswordHasher.NeedsRehash(stored, new PasswordPolicy(memoryKiB, iterations)).Should().BeTrue(
            $"the stored hash has m=8192,t=2; the policy asks for m={memoryKiB},t={iterations}");
    }

    [Fact]
    public void NeedsRehash_is_true_for_any_pbkdf2_hash()
    {
        var stored = PasswordHasher.HashPbkdf2("hunter2", 1_000_000);

        PasswordHasher.NeedsRehash(stored, TestPolicy).Should().BeTrue(
            "the policy's algorithm is Argon2id: a PBKDF2 hash is migrated at the next successful login");
    }
}
