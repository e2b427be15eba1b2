using System.Numerics;
using System.Text;

namespace Koans.Ethereum.Abi;

public class AbiCodecTests
{
    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    // Solidity ABI specification, "Examples": baz(uint32,bool) with 69 and true.
    [Fact]
    public void EncodeCall_matches_the_ABI_spec_example_baz() =>
        Hex(AbiCodec.EncodeCall("baz(uint32,bool)", 69, true)).Should().Be(
            "0xcdcd77c000000000000000000000000000000000000000000000000000000000000000450000000000000000000000000000000000000000000000000000000000000001",
            "the ABI spec's Examples section publishes this 68-byte call");

    // Solidity ABI specification, "Examples": bar(bytes3[2]) with ["abc", "def"].
    [Fact]
    public void EncodeCall_matches_the_ABI_spec_example_bar_with_a_fixed_array_of_bytes3() =>
        Hex(AbiCodec.EncodeCall("bar(bytes3[2])", (object)new[] { Ascii("abc"), Ascii("def") })).Should().Be(
            "0xfce353f661626300000000000000000000000000000000000000000000000000000000006465660000000000000000000000000000000000000000000000000000000000",
            "bytesN is left-aligned (right-padded), and a static fixed array is inlined with no offset");

    // Solidity ABI specification, "Examples": sam(bytes,bool,uint256[]) with "dave", true and [1,2,3].
    [Fact]
    public void EncodeCall_matches_the_ABI_spec_example_sam_with_dynamic_types() =>
        Hex(AbiCodec.EncodeCall("sam(bytes,bool,uint256[])", Ascii("dave"), true, new[] { 1, 2, 3 })).Should().Be(
            "0xa5643bf2" +
            "0000000000000000000000000000000000000000000000000000000000000060" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "00000000000000000000000000000000000000000000000000000000000000a0" +
            "0000000000000000000000000000000000000000000000000000000000000004" +
            "6461766500000000000000000000000000000000000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000003" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "0000000000000000000000000000000000000000000000000000000000000003",
            "dynamic arguments get an offset in the head (0x60, 0xa0) and their data in the tail");

    // Solidity ABI specification, "Use of Dynamic Types": f(uint256,uint32[],bytes10,bytes) with
    // (0x123, [0x456, 0x789], "1234567890", "Hello, world!").
    private const string SpecF =
        "0x8be65246" +
        "0000000000000000000000000000000000000000000000000000000000000123" +
        "0000000000000000000000000000000000000000000000000000000000000080" +
        "3132333435363738393000000000000000000000000000000000000000000000" +
        "00000000000000000000000000000000000000000000000000000000000000e0" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "0000000000000000000000000000000000000000000000000000000000000456" +
        "0000000000000000000000000000000000000000000000000000000000000789" +
        "000000000000000000000000000000000000000000000000000000000000000d" +
        "48656c6c6f2c20776f726c642100000000000000000000000000000000000000";

    [Fact]
    public void EncodeCall_matches_the_ABI_spec_dynamic_types_example_f() =>
        Hex(AbiCodec.EncodeCall("f(uint256,uint32[],bytes10,bytes)",
            0x123, new[] { 0x456, 0x789 }, Ascii("1234567890"), Ascii("Hello, world!"))).Should().Be(SpecF);

    // Solidity ABI specification, "Use of Dynamic Types": g(uint256[][],string[]) with
    // ([[1, 2], [3]], ["one", "two", "three"]); lines 0-19 with f = 0x40 and g = 0x140 as the spec derives them.
    private const string SpecG =
        "0x2289b18c" +
        "0000000000000000000000000000000000000000000000000000000000000040" +
        "0000000000000000000000000000000000000000000000000000000000000140" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "0000000000000000000000000000000000000000000000000000000000000040" +
        "00000000000000000000000000000000000000000000000000000000000000a0" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "0000000000000000000000000000000000000000000000000000000000000001" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "0000000000000000000000000000000000000000000000000000000000000001" +
        "0000000000000000000000000000000000000000000000000000000000000003" +
        "0000000000000000000000000000000000000000000000000000000000000003" +
        "0000000000000000000000000000000000000000000000000000000000000060" +
        "00000000000000000000000000000000000000000000000000000000000000a0" +
        "00000000000000000000000000000000000000000000000000000000000000e0" +
        "0000000000000000000000000000000000000000000000000000000000000003" +
        "6f6e650000000000000000000000000000000000000000000000000000000000" +
        "0000000000000000000000000000000000000000000000000000000000000003" +
        "74776f0000000000000000000000000000000000000000000000000000000000" +
        "0000000000000000000000000000000000000000000000000000000000000005" +
        "7468726565000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void EncodeCall_matches_the_ABI_spec_nested_dynamic_arrays_example_g() =>
        Hex(AbiCodec.EncodeCall("g(uint256[][],string[])",
            new[] { new[] { 1, 2 }, new[] { 3 } }, new[] { "one", "two", "three" })).Should().Be(SpecG,
            "offsets inside an array count from the start of that array's elements, after its length word");

    [Fact]
    public void DecodeCall_reads_back_the_ABI_spec_example_f()
    {
        var values = AbiCodec.DecodeCall("f(uint256,uint32[],bytes10,bytes)", Convert.FromHexString(SpecF[2..]));

        values.Should().HaveCount(4);
        values[0].Should().Be(new BigInteger(0x123));
        ((object[])values[1]).Should().Equal(new BigInteger(0x456), new BigInteger(0x789));
        ((byte[])values[2]).Should().Equal(Ascii("1234567890"));
        ((byte[])values[3]).Should().Equal(Ascii("Hello, world!"));
    }

    [Fact]
    public void DecodeCall_reads_back_the_ABI_spec_example_g()
    {
        var values = AbiCodec.DecodeCall("g(uint256[][],string[])", Convert.FromHexString(SpecG[2..]));

        var outer = (object[])values[0];
        ((object[])outer[0]).Should().Equal(new BigInteger(1), new BigInteger(2));
        ((object[])outer[1]).Should().Equal(new BigInteger(3));
        ((object[])values[1]).Should().Equal("one", "two", "three");
    }

    // `cast abi-encode "f((uint256,string),address)" "(1,hello)" 0x70997970C51812dc3A010C7d01b50e0d17dc79C8`
    // (Foundry cast 1.7.1): a dynamic tuple is referenced by offset like any dynamic value.
    [Fact]
    public void Encode_puts_a_dynamic_tuple_in_the_tail() =>
        Hex(AbiCodec.Encode(["(uint256,string)", "address"],
            [new object[] { 1, "hello" }, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"])).Should().Be(
            "0x" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000040" +
            "0000000000000000000000000000000000000000000000000000000000000005" +
            "68656c6c6f000000000000000000000000000000000000000000000000000000");

    // `cast abi-encode "f(int8,int256)" -- -1 -2` (Foundry cast 1.7.1).
    [Fact]
    public void Encode_sign_extends_negative_integers()
    {
        var encoded = AbiCodec.Encode(["int8", "int256"], [-1, -2]);

        Hex(encoded).Should().Be("0x" + new string('f', 64) + new string('f', 63) + "e",
            "int<M> is two's complement over the full 32 bytes, padded with 0xff");
        AbiCodec.Decode(["int8", "int256"], encoded).Should().Equal(new BigInteger(-1), new BigInteger(-2));
    }

    [Fact]
    public void Encode_rejects_a_uint32_that_does_not_fit()
    {
        var act = () => AbiCodec.Encode(["uint32"], [4_294_967_296L]);

        act.Should().Throw<ArgumentOutOfRangeException>("2^32 needs 33 bits; silently truncating it sends another value");
    }

    [Fact]
    public void Encode_rejects_a_negative_uint256()
    {
        var act = () => AbiCodec.Encode(["uint256"], [-1]);

        act.Should().Throw<ArgumentOutOfRangeException>("-1 as uint256 would be 2^256 - 1: the classic approve-everything bug");
    }

    [Fact]
    public void Encode_rejects_an_int8_of_128()
    {
        var act = () => AbiCodec.Encode(["int8"], [128]);

        act.Should().Throw<ArgumentOutOfRangeException>("int8 holds -128..127");
    }

    [Fact]
    public void Encode_rejects_bytes3_with_four_bytes()
    {
        var act = () => AbiCodec.Encode(["bytes3"], [Ascii("abcd")]);

        act.Should().Throw<ArgumentException>("bytes3 is exactly three bytes");
    }

    [Fact]
    public void Encode_rejects_a_fixed_array_of_the_wrong_length()
    {
        var act = () => AbiCodec.Encode(["bytes3[2]"], [new object[] { Ascii("abc") }]);

        act.Should().Throw<ArgumentException>("bytes3[2] has exactly two elements");
    }

    [Fact]
    public void Decode_rejects_truncated_data()
    {
        var data = Convert.FromHexString(SpecF[10..^2]); // the argument block without its last byte

        var act = () => AbiCodec.Decode(["uint256", "uint32[]", "bytes10", "bytes"], data);

        act.Should().Throw<FormatException>("the bytes argument announces 13 bytes padded to 32, and one is missing");
    }

    [Fact]
    public void Decode_rejects_an_offset_pointing_past_the_end()
    {
        var data = new byte[64];
        data[31] = 0xff; // offset 255 into a 64-byte block

        var act = () => AbiCodec.Decode(["bytes"], data);

        act.Should().Throw<FormatException>("calldata is attacker-controlled: offsets must be bounds-checked");
    }

    [Theory]
    [InlineData("bytes", 0x7fffffff)]
    [InlineData("bytes", 0x7fffffe1)]
    [InlineData("string", 0x7ffffff0)]
    public void Decode_rejects_a_byte_length_near_2_pow_31_without_an_int_overflow(string type, int length)
    {
        var data = new byte[96];
        data[31] = 0x20; // the offset: the tail starts right after the head word
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(60, 4), length); // the length word

        var act = () => AbiCodec.Decode([type], data);

        act.Should().Throw<FormatException>(
            $"a {type} of {length} bytes padded to a multiple of 32 is past int.MaxValue: computed in int, the padded " +
            "length wraps negative, passes the bounds check, and the slice throws something other than the documented FormatException");
    }

    [Fact]
    public void Decode_rejects_a_bool_that_is_not_0_or_1()
    {
        var data = new byte[32];
        data[31] = 2;

        var act = () => AbiCodec.Decode(["bool"], data);

        act.Should().Throw<FormatException>("Solidity's decoder reverts on a dirty bool; so should ours");
    }

    [Fact]
    public void DecodeCall_rejects_another_selector()
    {
        var act = () => AbiCodec.DecodeCall("transfer(address,uint256)", Convert.FromHexString(SpecF[2..]));

        act.Should().Throw<FormatException>("0x8be65246 is not the selector of transfer(address,uint256)");
    }

    /// <summary>32-byte big-endian words, to build raw argument blocks for the decoder.</summary>
    private static byte[] Words(params BigInteger[] values) =>
        [.. values.SelectMany(v => v.ToByteArray(isUnsigned: true, isBigEndian: true) is var b ? [.. new byte[32 - b.Length], .. b] : Array.Empty<byte>())];

    // solc's dispatcher for ERC-20 totalSupply() compares with 0x18160ddd (infra/chain/artifacts/KoansToken.json,
    // "deployedBytecode": PUSH4 18160ddd): a call with no arguments is the selector alone.
    [Fact]
    public void EncodeCall_and_DecodeCall_of_a_function_without_arguments_is_the_4_byte_selector_alone()
    {
        Hex(AbiCodec.EncodeCall("totalSupply()")).Should().Be("0x18160ddd", "no arguments, no words: the selector is the whole call");
        AbiCodec.DecodeCall("totalSupply()", Convert.FromHexString("18160ddd")).Should().BeEmpty(
            "4 bytes of calldata are enough for a function without arguments");
    }

    // By the spec's rules: a static tuple and a static fixed array are inlined in the head, so the offset of the
    // dynamic bytes after them counts their whole size: 3 words for (uint256,(bool,uint8)), 2 for uint8[2], 1 for the offset itself.
    [Fact]
    public void Encode_inlines_static_tuples_and_fixed_arrays_and_counts_them_in_the_offset_of_a_dynamic_value() =>
        AbiCodec.Encode(["(uint256,(bool,uint8))", "uint8[2]", "bytes"],
                [new object[] { 1, new object[] { false, 2 } }, new[] { 3, 4 }, Ascii("ab")])
            .Should().Equal(Words(1, 0, 2, 3, 4, 0xc0, 2, BigInteger.Parse("6162", System.Globalization.NumberStyles.HexNumber) << 240),
                "the head is 6 words (3 for the tuple, 2 for the array, 1 offset), so bytes starts at 0xc0; false is a zero word");

    // By the spec's rules: a static tuple is its components in place, so ((bool,uint8),uint256) is three words.
    [Fact]
    public void Encode_splits_a_tuple_type_only_at_its_own_commas_not_inside_a_nested_tuple() =>
        AbiCodec.Encode(["((bool,uint8),uint256)"], [new object[] { new object[] { true, 2 }, 3 }])
            .Should().Equal(Words(1, 2, 3), "the comma inside (bool,uint8) belongs to the inner tuple; the one after it separates the outer components");

    [Fact]
    public void Encode_writes_zero_as_an_all_zero_word_and_accepts_it_as_a_uint() =>
        AbiCodec.Encode(["uint256", "int8", "bool"], [0, 0, false]).Should().Equal(new byte[96],
            "zero is a valid uint (only negatives are out of range), and false is 0");

    [Fact]
    public void Decode_reads_true_false_and_exact_fit_dynamic_arrays() =>
        AbiCodec.Decode(["bool", "bool", "uint256[]"], Words(1, 0, 0x60, 2, 7, 8))
            .Should().BeEquivalentTo(new object[] { true, false, new object[] { new BigInteger(7), new BigInteger(8) } },
                o => o.WithStrictOrdering(), "an array of 2 elements that ends exactly at the end of the data is complete");

    [Fact]
    public void Decode_reads_an_empty_bytes_at_the_very_end_of_the_data() =>
        AbiCodec.Decode(["bytes"], Words(0x20, 0)).Should().BeEquivalentTo(new object[] { Array.Empty<byte>() },
            "the offset points at the last word, a length of 0: an empty byte string");

    public static TheoryData<string, string, string> DirtyWords() => new()
    {
        { "address", "01" + new string('0', 62), "a non-zero byte in the 12 bytes above a 20-byte address" },
        { "uint8", new string('0', 60) + "0100", "256 in a uint8" },
        { "bytes3", "616263" + new string('0', 56) + "01", "a non-zero byte in the padding after bytes3" },
        { "int8", new string('0', 62) + "80", "+128 in an int8 (not sign-extended)" },
    };

    [Theory]
    [MemberData(nameof(DirtyWords))]
    public void Decode_rejects_dirty_high_bits_and_padding(string type, string word, string what)
    {
        var act = () => AbiCodec.Decode([type], Convert.FromHexString(word.PadRight(64, '0')));

        act.Should().Throw<FormatException>($"the word holds {what}; Solidity's decoder reverts on it, and two encodings of one value is malleability");
    }

    [Fact]
    public void Decode_reads_the_largest_uint256_as_a_positive_number() =>
        AbiCodec.Decode(["uint256"], Convert.FromHexString(new string('f', 64))).Should().BeEquivalentTo(
            new object[] { (BigInteger.One << 256) - 1 }, "a uint word is unsigned: its top bit is a bit of the number, not a sign");

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000050", "0x50, half a word past the end")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "2^256 - 1 (or -1, read as signed)")]
    public void Decode_rejects_an_offset_outside_the_data(string offsetWord, string what)
    {
        var act = () => AbiCodec.Decode(["bytes"], [.. Convert.FromHexString(offsetWord), .. new byte[32]]);

        act.Should().Throw<FormatException>($"the offset is {what} in a 64-byte block; slicing there must not throw anything but FormatException");
    }

    [Fact]
    public void Decode_rejects_bytes_whose_length_runs_past_the_data()
    {
        var act = () => AbiCodec.Decode(["bytes"], Words(0x20, 64, 1));

        act.Should().Throw<FormatException>("64 bytes are announced and only one word (32 bytes) follows");
    }

    [Fact]
    public void Decode_rejects_an_offset_above_int_MaxValue_even_when_its_low_bits_point_inside_the_data()
    {
        var act = () => AbiCodec.Decode(["bytes"], Words((BigInteger.One << 32) + 0x20, 0));

        act.Should().Throw<FormatException>("2^32 + 0x20 is not 0x20: truncating the word to an int would read a value the sender never pointed at");
    }

    [Fact]
    public void Decode_rejects_an_array_count_far_larger_than_the_data_before_allocating()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var act = () => AbiCodec.Decode(["uint256[]"], Words(0x20, int.MaxValue, 1));

        act.Should().Throw<FormatException>("2^31 - 1 elements cannot fit in one word of data");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20,
            "the count is checked against the data before anything the size of the count is allocated");
    }

    [Theory]
    [InlineData("uint256[0]", "a fixed array of length 0")]
    [InlineData("uint256[x]", "an array length that is not a number")]
    [InlineData("[2]", "an array without an element type")]
    [InlineData("uint", "the alias uint")]
    public void Encode_rejects_malformed_type_names(string type, string what)
    {
        var act = () => AbiCodec.Encode([type], [new object[] { 1, 2 }]);

        act.Should().Throw<ArgumentException>($"{type} is {what}, not a canonical ABI type");
    }

    [Theory]
    [InlineData("(uint256)", "no function name")]
    [InlineData("f(uint256", "no closing parenthesis")]
    [InlineData("f", "no parameter list")]
    public void EncodeCall_rejects_a_signature_that_is_not_name_and_parameter_list(string signature, string what)
    {
        var act = () => AbiCodec.EncodeCall(signature, 1);

        act.Should().Throw<ArgumentException>($"'{signature}' has {what}");
    }

    [Fact]
    public void Encode_rejects_fewer_values_than_types()
    {
        var act = () => AbiCodec.Encode(["uint256", "bool"], [1]);

        act.Should().Throw<ArgumentException>("two types need two values; encoding one would shift every later argument");
    }
}
