using System.Security.Cryptography;

namespace Koans.Crypto.TimingOracle;

public sealed class TimingAttackTests
{
    private const int TagLength = 32;

    // The server's key: random per test, never given to the attack.
    private readonly byte[] _serverKey = RandomNumberGenerator.GetBytes(32);

    private static readonly byte[] Message = "user=mallory;role=admin;expires=2099-01-01"u8.ToArray();

    /// <summary>Counts the queries and keeps every tag the attack sent.</summary>
    private sealed class CountingVerifier(ITagVerifier inner) : ITagVerifier
    {
        public List<byte[]> Probes { get; } = [];

        public int Queries => Probes.Count;

        public VerificationResult Verify(byte[] message, byte[] tag)
        {
            Probes.Add(tag.ToArray());
            return inner.Verify(message, tag);
        }
    }

    /// <summary>An early-exit comparer over a tag the test chooses, with a different fixed overhead than the provided
    /// one, so an attack that relies on absolute step counts (or on the expected tag being random) fails.</summary>
    private sealed class ChosenTagEarlyExitVerifier(byte[] expected, long overhead) : ITagVerifier
    {
        public VerificationResult Verify(byte[] message, byte[] tag)
        {
            var steps = overhead;
            if (tag.Length != expected.Length)
            {
                return new VerificationResult(false, steps);
            }

            for (var i = 0; i < expected.Length; i++)
            {
                steps++;
                if (tag[i] != expected[i])
                {
                    return new VerificationResult(false, steps);
                }
            }

            return new VerificationResult(true, steps);
        }
    }

    [Fact]
    public void ForgeTag_forges_a_tag_the_early_exit_verifier_accepts_within_256_queries_per_byte()
    {
        var server = new CountingVerifier(new EarlyExitTagVerifier(_serverKey));

        var forged = TimingAttack.ForgeTag(Message, TagLength, server);

        new EarlyExitTagVerifier(_serverKey).Verify(Message, forged).Accepted.Should().BeTrue(
            "each rejection's step count says how many leading bytes matched, so the tag falls one byte at a time");
        server.Queries.Should().BeLessThanOrEqualTo(256 * TagLength,
            "at most 256 guesses per byte: the attack is linear in the tag length, not 2^256");
    }

    [Fact]
    public void ForgeTag_recovers_the_genuine_HMAC_which_the_fixed_verifier_accepts_too()
    {
        var forged = TimingAttack.ForgeTag(Message, TagLength, new EarlyExitTagVerifier(_serverKey));

        forged.Should().Equal(HMACSHA256.HashData(_serverKey, Message),
            "there is only one valid tag: the attack learned the real HMAC without the key");
        new FixedTimeTagVerifier(_serverKey).Verify(Message, forged).Accepted.Should().BeTrue(
            "a constant-time comparison stops the leak, not the use of a tag that already leaked: rotate the key");
    }

    [Theory]
    [InlineData(0x00, "a tag of zero bytes, which a loop that starts from the current byte value may skip")]
    [InlineData(0xff, "a tag of 0xff bytes, the last candidate at every position")]
    public void ForgeTag_does_not_depend_on_the_overhead_or_the_tag_values(byte fill, string what)
    {
        var expected = Enumerable.Repeat(fill, TagLength).ToArray();
        var server = new CountingVerifier(new ChosenTagEarlyExitVerifier(expected, overhead: 7));

        var forged = TimingAttack.ForgeTag(Message, TagLength, server);

        forged.Should().Equal(expected, $"the attack must find {what}, comparing step counts with each other, "
            + "never with a number it assumed (this verifier's overhead is 7 steps, not 100)");
        server.Queries.Should().BeLessThanOrEqualTo(256 * TagLength, "the budget is 256 queries per byte");
    }

    [Fact]
    public void ForgeTag_decides_the_last_byte_by_the_verdict_because_its_step_count_does_not_move()
    {
        // Every guess of the last byte costs the same: the comparison reaches it either way. Only "accepted" tells.
        var expected = Enumerable.Range(0, TagLength).Select(i => (byte)(i * 37 + 11)).ToArray();
        expected[^1] = 0xc8;

        var forged = TimingAttack.ForgeTag(Message, TagLength, new ChosenTagEarlyExitVerifier(expected, overhead: 3));

        forged.Should().Equal(expected,
            "on the last byte the step count is the same for every guess, so the accepted guess is the answer");
    }

    [Fact]
    public void ForgeTag_only_probes_with_tags_of_the_full_length()
    {
        var server = new CountingVerifier(new EarlyExitTagVerifier(_serverKey));

        TimingAttack.ForgeTag(Message, TagLength, server);

        server.Probes.Should().OnlyContain(tag => tag.Length == TagLength,
            "the verifier rejects a tag of the wrong length before comparing anything, so a short probe leaks nothing");
    }

    [Fact]
    public void ForgeTag_gives_up_against_FixedTimeEquals_within_256_queries()
    {
        var server = new CountingVerifier(new FixedTimeTagVerifier(_serverKey));

        var act = () => TimingAttack.ForgeTag(Message, TagLength, server);

        act.Should().Throw<InvalidOperationException>(
            "FixedTimeEquals examines every byte whatever the guess: every step count is the same, there is no leak");
        server.Queries.Should().BeLessThanOrEqualTo(256,
            "once all 256 candidates for the first byte cost the same, further guessing is a brute force of 2^256");
    }

    [Fact]
    public void ForgeTag_gives_up_when_the_tag_length_is_wrong()
    {
        var server = new CountingVerifier(new EarlyExitTagVerifier(_serverKey));

        var act = () => TimingAttack.ForgeTag(Message, 16, server);

        act.Should().Throw<InvalidOperationException>(
            "a 16-byte tag is rejected by the length check before any byte is compared, so nothing leaks");
        server.Queries.Should().BeLessThanOrEqualTo(256, "the attack gives up after the first position shows no leak");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ForgeTag_rejects_a_tag_length_below_one(int tagLength)
    {
        var act = () => TimingAttack.ForgeTag(Message, tagLength, new EarlyExitTagVerifier(_serverKey));

        act.Should().Throw<ArgumentOutOfRangeException>("a tag has at least one byte");
    }

    /// <summary>A server that leaks through every byte, the last one included, but never says yes (its key was
    /// rotated, say, or it only logs the attempt): the timing is real, the forged tag is worthless.</summary>
    private sealed class LeaksButNeverAcceptsVerifier(byte[] expected) : ITagVerifier
    {
        public VerificationResult Verify(byte[] message, byte[] tag)
        {
            var matching = 0;
            while (matching < expected.Length && tag[matching] == expected[matching])
            {
                matching++;
            }

            return new VerificationResult(false, 10 + matching);
        }
    }

    [Fact]
    public void ForgeTag_refuses_to_return_a_tag_the_verifier_never_accepted()
    {
        var server = new CountingVerifier(new LeaksButNeverAcceptsVerifier(RandomNumberGenerator.GetBytes(4)));

        var act = () => TimingAttack.ForgeTag(Message, 4, server);

        act.Should().Throw<InvalidOperationException>(
            "every byte was decided by its step count, yet the whole tag was never accepted: the leak is not a byte-by-byte " +
            "comparison, and returning the tag would claim a forgery that does not work");
        server.Queries.Should().BeLessThanOrEqualTo(4 * 256, "one pass over the tag, at most 256 queries per byte");
    }
}
