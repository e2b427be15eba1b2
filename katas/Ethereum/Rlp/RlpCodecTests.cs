using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Koans.Ethereum.Rlp;

public class RlpCodecTests
{
    // Cases copied verbatim from ethereum/tests, RLPTests/rlptest.json (case name -> "in", "out"). In that file a string
    // starting "#" is a big integer, a JSON number is an integer, any other string is its UTF-8 bytes.
    private const string RlpTestJson = """
        {
          "emptystring": { "in": "", "out": "0x80" },
          "bytestring00": { "in": "\u0000", "out": "0x00" },
          "bytestring01": { "in": "\u0001", "out": "0x01" },
          "bytestring7F": { "in": "\u007F", "out": "0x7f" },
          "shortstring": { "in": "dog", "out": "0x83646f67" },
          "shortstring2": { "in": "Lorem ipsum dolor sit amet, consectetur adipisicing eli", "out": "0xb74c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c69" },
          "longstring": { "in": "Lorem ipsum dolor sit amet, consectetur adipisicing elit", "out": "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974" },
          "zero": { "in": 0, "out": "0x80" },
          "smallint": { "in": 1, "out": "0x01" },
          "smallint2": { "in": 16, "out": "0x10" },
          "smallint3": { "in": 79, "out": "0x4f" },
          "smallint4": { "in": 127, "out": "0x7f" },
          "mediumint1": { "in": 128, "out": "0x8180" },
          "mediumint2": { "in": 1000, "out": "0x8203e8" },
          "mediumint3": { "in": 100000, "out": "0x830186a0" },
          "mediumint4": { "in": "#83729609699884896815286331701780722", "out": "0x8f102030405060708090a0b0c0d0e0f2" },
          "mediumint5": { "in": "#105315505618206987246253880190783558935785933862974822347068935681", "out": "0x9c0100020003000400050006000700080009000a000b000c000d000e01" },
          "emptylist": { "in": [], "out": "0xc0" },
          "stringlist": { "in": [ "dog", "god", "cat" ], "out": "0xcc83646f6783676f6483636174" },
          "multilist": { "in": [ "zw", [ 4 ], 1 ], "out": "0xc6827a77c10401" },
          "shortListMax1": { "in": [ "asdf", "qwer", "zxcv", "asdf","qwer", "zxcv", "asdf", "qwer", "zxcv", "asdf", "qwer"], "out": "0xf784617364668471776572847a78637684617364668471776572847a78637684617364668471776572847a78637684617364668471776572" },
          "longList1": { "in": [ ["asdf","qwer","zxcv"], ["asdf","qwer","zxcv"], ["asdf","qwer","zxcv"], ["asdf","qwer","zxcv"] ], "out": "0xf840cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376" },
          "listsoflists": { "in": [ [ [], [] ], [] ], "out": "0xc4c2c0c0c0" },
          "listsoflists2": { "in": [ [], [[]], [ [], [[]] ] ], "out": "0xc7c0c1c0c3c0c1c0" },
          "dictTest1": { "in": [ ["key1", "val1"], ["key2", "val2"], ["key3", "val3"], ["key4", "val4"] ], "out": "0xecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b6579348476616c34" },
          "bigint": { "in": "#115792089237316195423570985008687907853269984665640564039457584007913129639936", "out": "0xa1010000000000000000000000000000000000000000000000000000000000000000" }
        }
        """;

    public static TheoryData<string> ValidCaseNames() =>
        new(JsonDocument.Parse(RlpTestJson).RootElement.EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(ValidCaseNames))]
    public void Encode_matches_ethereum_tests_rlptest_json(string caseName)
    {
        var (input, expected) = Case(caseName);

        ("0x" + Convert.ToHexStringLower(RlpCodec.Encode(input))).Should().Be(expected,
            $"ethereum/tests RLPTests/rlptest.json case \"{caseName}\" publishes this encoding");
    }

    [Theory]
    [MemberData(nameof(ValidCaseNames))]
    public void Decode_then_encode_round_trips_ethereum_tests_rlptest_json(string caseName)
    {
        var (_, expected) = Case(caseName);
        var bytes = Convert.FromHexString(expected[2..]);

        RlpCodec.Encode(RlpCodec.Decode(bytes)).Should().Equal(bytes,
            $"case \"{caseName}\" is canonical, so decoding and re-encoding gives the same bytes");
    }

    [Fact]
    public void Decode_rebuilds_the_structure_of_multilist()
    {
        // rlptest.json "multilist": [ "zw", [ 4 ], 1 ] -> 0xc6827a77c10401
        var item = RlpCodec.Decode(Convert.FromHexString("c6827a77c10401"));

        var list = item.Should().BeOfType<RlpList>().Subject;
        list.Items.Should().HaveCount(3);
        list.Items[0].Should().BeOfType<RlpString>().Which.Bytes.Should().Equal("zw"u8.ToArray());
        list.Items[1].Should().BeOfType<RlpList>().Which.Items.Should().ContainSingle()
            .Which.Should().BeOfType<RlpString>().Which.Bytes.Should().Equal([0x04]);
        list.Items[2].Should().BeOfType<RlpString>().Which.Bytes.Should().Equal([0x01]);
    }

    // Every case of ethereum/tests RLPTests/invalidRLPTest.json ("in": "INVALID"); the "out" bytes must be rejected.
    [Theory]
    [InlineData("int32Overflow", "0xbf0f000000000000021111")]
    [InlineData("int32Overflow2", "0xff0f000000000000021111")]
    [InlineData("wrongSizeList", "0xf80180")]
    [InlineData("wrongSizeList2", "0xf80100")]
    [InlineData("incorrectLengthInArray", "0xb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df0")]
    [InlineData("randomRLP", "0xf861f83eb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df027b90015002d5ef8325ae4d034df55d4b58d0dfba64d61ddd17be00000b9001a00dae30907045a2f66fa36f2bb8aa9029cbb0b8a7b3b5c435ab331")]
    [InlineData("bytesShouldBeSingleByte00", "0x8100")]
    [InlineData("bytesShouldBeSingleByte01", "0x8101")]
    [InlineData("bytesShouldBeSingleByte7F", "0x817F")]
    [InlineData("leadingZerosInLongLengthArray1", "b90040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")]
    [InlineData("leadingZerosInLongLengthArray2", "b800")]
    [InlineData("leadingZerosInLongLengthList1", "fb00000040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")]
    [InlineData("leadingZerosInLongLengthList2", "f800")]
    [InlineData("nonOptimalLongLengthArray1", "b81000112233445566778899aabbccddeeff")]
    [InlineData("nonOptimalLongLengthArray2", "b801ff")]
    [InlineData("nonOptimalLongLengthList1", "f810000102030405060708090a0b0c0d0e0f")]
    [InlineData("nonOptimalLongLengthList2", "f803112233")]
    public void Decode_rejects_ethereum_tests_invalidRLPTest_json(string caseName, string hex)
    {
        var bytes = Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

        var act = () => RlpCodec.Decode(bytes);

        act.Should().Throw<RlpException>($"ethereum/tests invalidRLPTest.json case \"{caseName}\" is not canonical RLP");
    }

    [Fact]
    public void Decode_rejects_trailing_bytes()
    {
        var act = () => RlpCodec.Decode([0x83, (byte)'d', (byte)'o', (byte)'g', 0x00]);

        act.Should().Throw<RlpException>("one item must span the whole input; a trailing byte means a framing bug");
    }

    [Fact]
    public void Decode_rejects_a_truncated_string()
    {
        var act = () => RlpCodec.Decode([0x83, (byte)'d', (byte)'o']);

        act.Should().Throw<RlpException>("0x83 announces three bytes and only two follow");
    }

    [Fact]
    public void Decode_rejects_a_list_child_that_runs_past_the_list()
    {
        // The list announces 2 bytes (0x82 0x61); its child 0x82 announces 2 bytes but only 1 is inside the list.
        var act = () => RlpCodec.Decode([0xc2, 0x82, 0x61, 0x62]);

        act.Should().Throw<RlpException>(
            "a child is read from inside its list's payload only; read from the whole input it would swallow the 0x62 after the list");
    }

    [Fact]
    public void Decode_accepts_lists_nested_exactly_MaxNestingDepth_deep()
    {
        var encoded = NestedLists(RlpCodec.MaxNestingDepth);

        var item = RlpCodec.Decode(encoded);

        Depth(item).Should().Be(RlpCodec.MaxNestingDepth, "the limit itself is allowed");
        RlpCodec.Encode(item).Should().Equal(encoded);
    }

    [Fact]
    public void Decode_rejects_lists_nested_one_deeper_than_MaxNestingDepth()
    {
        var act = () => RlpCodec.Decode(NestedLists(RlpCodec.MaxNestingDepth + 1));

        act.Should().Throw<RlpException>("nesting is limited so that a hostile input cannot exhaust the stack");
    }

    [Fact]
    public void Decode_of_lists_nested_20000_deep_throws_RlpException_instead_of_overflowing_the_stack()
    {
        var act = () => RlpCodec.Decode(NestedLists(20_000));

        act.Should().Throw<RlpException>(
            "a peer can send this; recursing 20 000 levels overflows the stack, which .NET cannot catch: the node dies");
    }

    // The long forms by the rules in the stub (Yellow Paper appendix B): 0xb7 + the length of the length, then the
    // length big-endian. 128 = 0x80 takes one byte (b8 80), 1024 = 0x0400 two (b9 04 00), 2^24 = 0x01000000 four.
    [Theory]
    [InlineData(128, "b880")]
    [InlineData(1024, "b90400")]
    public void Encode_and_Decode_write_and_read_a_long_length_in_the_fewest_bytes(int length, string prefix)
    {
        var bytes = Enumerable.Repeat((byte)'a', length).ToArray();
        byte[] expected = [.. Convert.FromHexString(prefix), .. bytes];

        RlpCodec.Encode(new RlpString(bytes)).Should().Equal(expected,
            $"{length} is written big-endian and unsigned in as few bytes as it needs: 0x80 is one byte, not 0x00 0x80");
        ((RlpString)RlpCodec.Decode(expected)).Bytes.Should().HaveCount(length, $"the prefix {prefix} announces {length} bytes");
    }

    [Fact]
    public void Decode_reads_a_string_whose_length_takes_four_bytes()
    {
        byte[] encoded = [0xbb, 0x01, 0x00, 0x00, 0x00, .. new byte[1 << 24]];

        ((RlpString)RlpCodec.Decode(encoded)).Bytes.Should().HaveCount(1 << 24,
            "0xbb announces a 4-byte length, 0x01000000 = 16 MiB: four bytes is still a length an input can have");
    }

    [Theory]
    [InlineData(new byte[0], "empty input: there is no item at all")]
    [InlineData(new byte[] { 0xb9, 0x04 }, "0xb9 announces a 2-byte length and only one byte follows")]
    [InlineData(new byte[] { 0xbb, 0x80, 0x00, 0x00, 0x00, 0x00 }, "a 4-byte length of 2^31, past int.MaxValue (cast to int it is negative)")]
    [InlineData(new byte[] { 0xfb, 0xff, 0xff, 0xff, 0xff, 0xc0 }, "a list whose 4-byte length is 2^32 - 1")]
    public void Decode_rejects_lengths_that_do_not_fit_the_input(byte[] encoded, string what)
    {
        var act = () => RlpCodec.Decode(encoded);

        act.Should().Throw<RlpException>($"{what}; untrusted input gets the documented exception, never an IndexOutOfRangeException");
    }

    [Fact]
    public void Integer_rejects_a_negative_value()
    {
        var act = () => RlpCodec.Integer(-1);

        act.Should().Throw<ArgumentOutOfRangeException>("RLP has no negative integers: -1 has no encoding, so it is a caller's bug");
    }

    [Fact]
    public void Encode_rejects_null()
    {
        var act = () => RlpCodec.Encode(null!);

        act.Should().Throw<ArgumentNullException>("null is neither a string nor a list; encoding it as empty would invent data");
    }

    [Fact]
    public void ToInteger_of_the_empty_string_is_zero() =>
        RlpCodec.ToInteger(new RlpString([])).Should().Be(BigInteger.Zero, "zero is the empty string (0x80) in RLP");

    [Fact]
    public void ToInteger_reads_a_top_bit_as_part_of_the_number_not_a_sign() =>
        // rlptest.json "mediumint1": 128 -> 0x8180.
        RlpCodec.ToInteger((RlpString)RlpCodec.Decode(Convert.FromHexString("8180"))).Should().Be(128,
            "RLP integers are unsigned: 0x80 is 128, not -128");

    [Fact]
    public void ContractAddress_rejects_a_sender_that_is_not_20_bytes()
    {
        var act = () => RlpCodec.ContractAddress(new byte[19], 0);

        act.Should().Throw<ArgumentException>("an address is 20 bytes; hashing 19 gives an address nobody can deploy to");
    }

    [Fact]
    public void ToInteger_rejects_a_leading_zero_byte()
    {
        var act = () => RlpCodec.ToInteger(new RlpString([0x00, 0x01]));

        act.Should().Throw<RlpException>("integers have no leading zeros in RLP: 1 has exactly one encoding, 0x01");
    }

    [Fact]
    public void ToInteger_reads_mediumint4() =>
        // rlptest.json "mediumint4": 83729609699884896815286331701780722 -> 0x8f102030405060708090a0b0c0d0e0f2
        RlpCodec.ToInteger((RlpString)RlpCodec.Decode(Convert.FromHexString("8f102030405060708090a0b0c0d0e0f2")))
            .Should().Be(BigInteger.Parse("83729609699884896815286331701780722"));

    // `cast compute-address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 --nonce 0` and `--nonce 1` (Foundry cast 1.7.1)
    // print these: the first two contracts Anvil account 0 deploys on a fresh node (the Foundry and Hardhat
    // tutorials' familiar 0x5FbDB231...).
    [Theory]
    [InlineData(0ul, "5fbdb2315678afecb367f032d93f642f64180aa3")]
    [InlineData(1ul, "e7f1725e7734ce288f8367e1bb143e90bb3f0512")]
    public void ContractAddress_of_Anvil_account_0_matches_cast_compute_address(ulong nonce, string expected) =>
        Convert.ToHexStringLower(RlpCodec.ContractAddress(
                Convert.FromHexString("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"), nonce))
            .Should().Be(expected, "the CREATE address is keccak256(rlp([sender, nonce]))[12..], and nonce 0 is 0x80");

    /// <summary>[[[...[]...]]]: <paramref name="depth"/> lists inside each other, written with the RLP rules directly.</summary>
    private static byte[] NestedLists(int depth)
    {
        // Built back to front: each level's prefix goes before everything built so far.
        var reversed = new List<byte> { 0xc0 };
        for (var level = 1; level < depth; level++)
        {
            var length = reversed.Count;
            byte[] prefix = length < 56
                ? [(byte)(0xc0 + length)]
                : [(byte)(0xf7 + new BigInteger(length).GetByteCount(isUnsigned: true)), .. new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true)];
            reversed.AddRange(prefix.Reverse());
        }

        reversed.Reverse();
        return [.. reversed];
    }

    private static int Depth(RlpItem item)
    {
        var depth = 0;
        while (item is RlpList list)
        {
            depth++;
            item = list.Items.Count == 0 ? new RlpString([]) : list.Items[0];
        }

        return depth;
    }

    private static (RlpItem Input, string Out) Case(string name)
    {
        var c = JsonDocument.Parse(RlpTestJson).RootElement.GetProperty(name);
        return (ToItem(c.GetProperty("in")), c.GetProperty("out").GetString()!);
    }

    private static RlpItem ToItem(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => new RlpList(e.EnumerateArray().Select(ToItem).ToArray()),
        JsonValueKind.Number => RlpCodec.Integer(e.GetInt64()),
        _ when e.GetString()!.StartsWith('#') => RlpCodec.Integer(BigInteger.Parse(e.GetString()![1..])),
        _ => new RlpString(Encoding.UTF8.GetBytes(e.GetString()!)),
    };
}
