using System.Globalization;
using System.Numerics;
using Nethereum.Signer;
using Nethereum.Util;

namespace Koans.Ethereum.Eip1559Tx;

/// <summary>
/// What a signer refuses to sign and what a decoder refuses to read. A raw transaction comes from anyone (a mempool, an
/// RPC request, a file), so every malformed byte string must end in the documented exception, and a signature
/// outside the ranges Ethereum accepts must be refused even when the algebra would still produce an address.
/// The hostile inputs below are the cast-generated <see cref="Eip1559SignerTests.TransferRaw"/> with one field
/// rewritten by hand, following the RLP rules (Ethereum Yellow Paper, appendix B).
/// </summary>
public sealed class Eip1559SignerValidationTests
{
    // secp256k1 from SEC 2 v2 (https://www.secg.org/sec2-v2.pdf), section 2.4.1: the order n and the base point G.
    private static readonly BigInteger N = Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    private static readonly BigInteger Gx = Hex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    private static readonly BigInteger Gy = Hex("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");

    // TransferRaw is 0x02 f8 74 || body; the body ends with yParity (1 byte: 0x80), r and s (33 bytes each: a0 || 32).
    private static readonly string TransferBody = Eip1559SignerTests.TransferRaw[8..];
    private static readonly string TransferFields = TransferBody[..^(2 * 67)]; // "827a69 80 ... 80 c0": nine fields
    private static readonly BigInteger TransferR = Hex(TransferBody[^130..^66]);
    private static readonly BigInteger TransferS = Hex(TransferBody[^64..]);
    private static readonly string TransferSignature = TransferBody[^134..]; // "80 a0 r a0 s"

    // ---- SigningPayload and Sign: what is not a valid transaction is refused before anything is signed -------------

    [Fact]
    public void SigningPayload_rejects_a_null_transaction_by_name()
    {
        var act = () => Eip1559Signer.SigningPayload(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("transaction",
            "a NullReferenceException from inside the encoder does not tell the caller which argument was wrong");
    }

    public static TheoryData<string> InvalidTransactions() =>
        ["chain id 0", "to of 19 bytes", "to of 21 bytes", "an access-list address of 19 bytes",
         "an access-list storage key of 31 bytes", "a negative nonce", "a negative value", "a negative gas limit"];

    [Theory]
    [MemberData(nameof(InvalidTransactions))]
    public void SigningPayload_rejects_a_field_that_no_node_accepts(string what)
    {
        var address = Eip1559SignerTests.Transfer.To!;
        var invalid = what switch
        {
            "chain id 0" => Eip1559SignerTests.Transfer with { ChainId = 0 },
            "to of 19 bytes" => Eip1559SignerTests.Transfer with { To = address[1..] },
            "to of 21 bytes" => Eip1559SignerTests.Transfer with { To = [0, .. address] },
            "an access-list address of 19 bytes" =>
                Eip1559SignerTests.Transfer with { AccessList = [new AccessListEntry(address[1..], [])] },
            "an access-list storage key of 31 bytes" =>
                Eip1559SignerTests.Transfer with { AccessList = [new AccessListEntry(address, [new byte[31]])] },
            "a negative nonce" => Eip1559SignerTests.Transfer with { Nonce = -1 },
            "a negative value" => Eip1559SignerTests.Transfer with { Value = -1 },
            "a negative gas limit" => Eip1559SignerTests.Transfer with { GasLimit = -1 },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var act = () => Eip1559Signer.SigningPayload(invalid);

        act.Should().Throw<ArgumentException>(
            "{0} cannot be encoded as a valid type-2 transaction (chain id 0 is EIP-155's 'no chain', addresses are 20 bytes, storage keys 32, quantities unsigned); signing it anyway hands the user a transaction every node rejects",
            what);
    }

    [Fact]
    public void Sign_rejects_a_private_key_that_is_not_32_bytes()
    {
        var act = () => Eip1559Signer.Sign(Eip1559SignerTests.Transfer, Eip1559SignerTests.AnvilKey0[1..]);

        act.Should().Throw<ArgumentException>().WithParameterName("privateKey",
            "a 31-byte key is a truncated hex string or a lost leading byte, not a smaller key");
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "zero")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "the curve order n")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "2^256 - 1")]
    public void Sign_rejects_a_private_key_outside_1_to_n_minus_1(string keyHex, string what)
    {
        var act = () => Eip1559Signer.Sign(Eip1559SignerTests.Transfer, Convert.FromHexString(keyHex));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("privateKey",
            "a secp256k1 private key is an integer in [1, n - 1]; {0} has no public key (or the same one as a smaller key)", what);
    }

    [Fact]
    public void Sign_accepts_the_largest_private_key_n_minus_1()
    {
        var key = Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");

        var raw = Eip1559Signer.Sign(Eip1559SignerTests.Transfer, key);

        Eip1559Signer.RecoverSender(raw).Should().Be(new EthECKey(key, true).GetPublicAddress(),
            "n - 1 is a valid key (its public key is -G): the range is [1, n - 1], both ends included");
    }

    // ---- RecoverSender: the signature ranges of the Yellow Paper (appendix F) and EIP-2 -----------------------------

    [Fact]
    public void RecoverSender_rejects_the_high_s_twin_of_a_valid_signature()
    {
        // (r, n - s) with the other parity is the same signature reflected: it recovers the same key. EIP-2 made it
        // invalid so that nobody can change a transaction's hash without the key (transaction malleability).
        var twin = Signed(TransferFields, TransferR, N - TransferS, yParity: 1);

        var act = () => Eip1559Signer.RecoverSender(twin);

        act.Should().Throw<ArgumentException>("EIP-2: s must be at most n / 2; the high-s twin is a second spelling of the same signature");
    }

    [Fact]
    public void RecoverSender_accepts_s_of_exactly_n_over_2_rounded_down()
    {
        var raw = Signed(TransferFields, TransferR, N / 2, yParity: 0);

        var act = () => Eip1559Signer.RecoverSender(raw);

        act.Should().NotThrow("EIP-2 rejects s > n / 2; n is odd, so (n - 1) / 2 is the largest valid s");
    }

    public static TheoryData<string> OutOfRangeSignatures() => ["r = 0", "s = 0", "r = n", "r = 2^256 - 1"];

    [Theory]
    [MemberData(nameof(OutOfRangeSignatures))]
    public void RecoverSender_rejects_r_or_s_outside_1_to_n_minus_1(string what)
    {
        var raw = what switch
        {
            "r = 0" => Signed(TransferFields, 0, TransferS, 0),
            "s = 0" => Signed(TransferFields, TransferR, 0, 0),
            "r = n" => Signed(TransferFields, N, TransferS, 0), // n is the x of a curve point, so only the range check stops it
            "r = 2^256 - 1" => Signed(TransferFields, BigInteger.Pow(2, 256) - 1, TransferS, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var act = () => Eip1559Signer.RecoverSender(raw);

        act.Should().Throw<ArgumentException>(
            "{0}: the Yellow Paper (appendix F) requires 0 < r < n and 0 < s <= n / 2; outside that range the algebra may still return some address, which must never be reported as a sender",
            what);
    }

    [Fact]
    public void RecoverSender_rejects_a_signature_that_recovers_the_point_at_infinity()
    {
        // Q = r^-1 (s R - e G). With R = G (r = Gx) and s = e mod n, s R - e G is the point at infinity: no public key.
        // A recoverer that serialises infinity anyway hashes an empty or zero key into an "address" nobody owns.
        var e = new BigInteger(new Sha3Keccack().CalculateHash(Convert.FromHexString(
            "02" + (0xc0 + TransferFields.Length / 2).ToString("x2", CultureInfo.InvariantCulture) + TransferFields)),
            isUnsigned: true, isBigEndian: true) % N;
        // For a high s, use the reflected pair: -R = (Gx, p - Gy) has the other y parity, and (n - s)(-R) = s R.
        var (s, yParity) = e > N / 2 ? (N - e, Gy.IsEven ? 1 : 0) : (e, Gy.IsEven ? 0 : 1);
        var raw = Signed(TransferFields, Gx, s, yParity);

        var act = () => Eip1559Signer.RecoverSender(raw);

        act.Should().Throw<ArgumentException>("this signature recovers the point at infinity, which is no public key and has no address");
    }

    // ---- Decode: only FormatException, whatever the bytes ----------------------------------------------------------

    public static TheoryData<string, string> MalformedTransactions() => new()
    {
        { "02", "the type byte and nothing else" },
        { Eip1559SignerTests.TransferRaw[2..] + "00", "a byte after the RLP list" },
        { "02f90074" + TransferBody, "the list length 116 written in two bytes with a leading zero (0xf9 0x00 0x74)" },
        { TypeTwoHex("80" + TransferFields[6..] + TransferSignature), "chain id 0" },
        { TypeTwoHex("89010000000000000000" + TransferFields[6..] + TransferSignature), "chain id 2^64, beyond a ulong" },
        { TypeTwoHex("827a6900" + TransferFields[8..] + TransferSignature), "nonce 0 written as the byte 0x00 (an integer with a leading zero byte)" },
        { TypeTwoHex("8101" + TransferFields[6..] + TransferSignature), "chain id 1 written as 0x81 0x01 instead of the byte 0x01" },
        { TypeTwoHex(TransferFields[..^4] + "b803abcdefc0" + TransferSignature), "3 bytes of data with a long-form length (0xb8 0x03)" },
        { TypeTwoHex("827a69c0" + TransferFields[8..] + TransferSignature), "a list where the nonce should be" },
        { TypeTwoHex(TransferFields[..^2] + "c2c0c0" + TransferSignature), "an access list whose entries are not [address, [keys]]" },
    };

    [Theory]
    [MemberData(nameof(MalformedTransactions))]
    public void Decode_rejects_malformed_or_non_canonical_RLP(string rawHex, string what)
    {
        var act = () => Eip1559Signer.Decode(Convert.FromHexString(rawHex));

        act.Should().Throw<FormatException>(
            "{0}: RLP has exactly one encoding per value, and a decoder that accepts a second spelling lets one transaction have two hashes",
            what);
    }

    [Fact]
    public void Decode_reads_the_largest_chain_id()
    {
        var raw = TypeTwo("88ffffffffffffffff" + TransferFields[6..] + TransferSignature);

        Eip1559Signer.Decode(raw).Transaction.ChainId.Should().Be(ulong.MaxValue, "2^64 - 1 fits the ChainId field");
    }

    [Fact]
    public void Decode_of_every_truncation_throws_FormatException()
    {
        var raw = Convert.FromHexString(Eip1559SignerTests.TokenTransferRaw[2..]);
        for (var length = 0; length < raw.Length; length++)
        {
            var act = () => Eip1559Signer.Decode(raw.AsSpan(0, length));

            act.Should().Throw<FormatException>(
                "the first {0} of {1} bytes end inside an item: a truncated transaction must be a FormatException, not an index error",
                length, raw.Length);
        }
    }

    [Fact]
    public void Decode_of_any_single_byte_change_returns_or_throws_FormatException_only()
    {
        // Every position of a transaction with calldata and an access list, set to the RLP boundary values.
        byte[] boundaries = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xbf, 0xc0, 0xc1, 0xf7, 0xf8, 0xff];
        var original = Convert.FromHexString(Eip1559SignerTests.TokenTransferRaw[2..]);
        var undocumented = new List<string>();
        for (var position = 0; position < original.Length; position++)
        {
            foreach (var value in boundaries)
            {
                var raw = (byte[])original.Clone();
                raw[position] = value;
                try
                {
                    Eip1559Signer.Decode(raw);
                }
                catch (FormatException)
                {
                    // documented: malformed input
                }
                catch (Exception e) when (e is not NotImplementedException)
                {
                    undocumented.Add($"byte {position} set to 0x{value:x2}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        undocumented.Should().BeEmpty("malformed input may only end in FormatException, the one documented failure");
    }

    // ---- Helpers: hand-written RLP, independent of the code under test ----------------------------------------------

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    // One RLP integer (at most 55 bytes): no leading zeros, zero is the empty string 0x80, a byte below 0x80 is itself.
    private static string RlpInteger(BigInteger value)
    {
        var bytes = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return bytes is [< 0x80]
            ? Convert.ToHexStringLower(bytes)
            : (0x80 + bytes.Length).ToString("x2", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(bytes);
    }

    // 0x02 || a list of 56 to 255 bytes (prefix 0xf8 and one length byte) || body.
    private static string TypeTwoHex(string body)
    {
        var length = body.Length / 2;
        if (length is < 56 or > 255)
        {
            throw new InvalidOperationException($"The test helper writes one length byte; the body is {length} bytes.");
        }

        return "02f8" + length.ToString("x2", CultureInfo.InvariantCulture) + body;
    }

    private static byte[] TypeTwo(string body) => Convert.FromHexString(TypeTwoHex(body));

    private static byte[] Signed(string fields, BigInteger r, BigInteger s, int yParity) =>
        TypeTwo(fields + RlpInteger(yParity) + RlpInteger(r) + RlpInteger(s));
}
