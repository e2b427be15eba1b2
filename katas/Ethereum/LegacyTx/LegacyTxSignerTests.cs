using System.Numerics;

namespace Koans.Ethereum.LegacyTx;

public class LegacyTxSignerTests
{
    // EIP-155, section "Example": nonce 9, gas price 20 gwei, gas limit 21000, to 0x3535...35, value 1 ether, no data,
    // chain id 1, private key 0x4646...46.
    private static readonly LegacyTransaction Eip155Example = new(
        Nonce: 9,
        GasPrice: 20_000_000_000,
        GasLimit: 21_000,
        To: Convert.FromHexString("3535353535353535353535353535353535353535"),
        Value: BigInteger.Pow(10, 18),
        Data: []);

    private static readonly byte[] Eip155Key = Convert.FromHexString(string.Concat(Enumerable.Repeat("46", 32)));

    private const string Eip155SignedTx =
        "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex[2..]);

    [Fact]
    public void SigningData_matches_the_EIP_155_example() =>
        Hex(LegacyTxSigner.SigningData(Eip155Example, chainId: 1)).Should().Be(
            "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
            "EIP-155 Example: the nine fields end with chainId 1 and two empty strings (r = s = 0)");

    [Fact]
    public void SigningHash_matches_the_EIP_155_example() =>
        Hex(LegacyTxSigner.SigningHash(Eip155Example, chainId: 1)).Should().Be(
            "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

    [Fact]
    public void Sign_produces_the_EIP_155_signed_transaction() =>
        Hex(LegacyTxSigner.Sign(Eip155Example, chainId: 1, Eip155Key)).Should().Be(Eip155SignedTx,
            "RFC 6979 makes the signature deterministic, so it matches the EIP byte for byte");

    [Fact]
    public void Decode_reads_v_37_and_the_EIP_155_r_and_s()
    {
        var signed = LegacyTxSigner.Decode(Bytes(Eip155SignedTx));

        signed.V.Should().Be(new BigInteger(37), "v = chainId * 2 + 35 + recoveryId = 1 * 2 + 35 + 0");
        signed.R.Should().Be(BigInteger.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846"));
        signed.S.Should().Be(BigInteger.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531"));
        signed.Transaction.Nonce.Should().Be(new BigInteger(9));
        signed.Transaction.To.Should().Equal(Eip155Example.To);
    }

    // `cast wallet address --private-key 0x4646...46` (Foundry cast 1.7.1) prints 0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F.
    [Fact]
    public void RecoverSender_finds_the_address_of_the_EIP_155_key() =>
        LegacyTxSigner.RecoverSender(Bytes(Eip155SignedTx), expectedChainId: 1)
            .Should().Be("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

    // `cast mktx --legacy --private-key 0xac09...ff80 --chain 31337 --nonce 0 --gas-limit 100000 --gas-price 1000000000
    //   --create 0x6080604052` (Foundry cast 1.7.1). Anvil account 0: a PUBLIC test key.
    [Fact]
    public void Sign_encodes_a_contract_creation_with_an_empty_to()
    {
        var create = new LegacyTransaction(0, 1_000_000_000, 100_000, To: null, Value: 0, Data: Bytes("0x6080604052"));

        Hex(LegacyTxSigner.Sign(create, 31337,
                Bytes("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")))
            .Should().Be("0xf85780843b9aca00830186a0808085608060405282f4f6a0fc9dd7fae77a4b38443aa3c8e38c93e3af9473186b328de3bf6a543e59303c3fa0182022ba4996910ddb08904ad96e983689c44ceb673dc8cc7aebcd12a4788d6a",
                "to is the empty string 0x80 for a creation, and v = 31337 * 2 + 35 + recoveryId is the 3-byte 0xf4f6");
    }

    [Fact]
    public void RecoverSender_rejects_a_transaction_signed_for_another_chain()
    {
        var act = () => LegacyTxSigner.RecoverSender(Bytes(Eip155SignedTx), expectedChainId: 61);

        act.Should().Throw<ArgumentException>(
            "v = 37 commits to chain 1; Ethereum Classic (chain 61) must refuse it: that is EIP-155's replay protection");
    }

    [Fact]
    public void RecoverSender_rejects_an_unprotected_v_of_27()
    {
        // The EIP-155 example with v rewritten from 0x25 (37) to 0x1b (27): the pre-EIP-155 form.
        var raw = Bytes(Eip155SignedTx);
        raw[Array.IndexOf(raw, (byte)0x25, 40)] = 0x1b;

        var act = () => LegacyTxSigner.RecoverSender(raw, expectedChainId: 1);

        act.Should().Throw<ArgumentException>("a v of 27/28 carries no chain id and replays on every chain");
    }

    [Fact]
    public void A_tampered_value_recovers_another_sender()
    {
        var raw = Bytes(Eip155SignedTx);
        raw[Array.IndexOf(raw, (byte)0x0d)] = 0x0e; // value 0x0de0b6b3a7640000 -> 0x0ee0b6b3a7640000

        LegacyTxSigner.RecoverSender(raw, expectedChainId: 1).Should().NotBe("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F",
            "the signature covers the value: change it and the recovered key is someone else's");
    }

    [Fact]
    public void Decode_rejects_a_truncated_transaction()
    {
        var act = () => LegacyTxSigner.Decode(Bytes(Eip155SignedTx)[..^1]);

        act.Should().Throw<FormatException>("the list header announces 108 bytes and only 107 follow");
    }

    [Fact]
    public void SigningData_rejects_chain_id_0()
    {
        var act = () => LegacyTxSigner.SigningData(Eip155Example, chainId: 0);

        act.Should().Throw<ArgumentOutOfRangeException>("chain id 0 is not a chain: it would not protect against replay");
    }

    // ---- Hostile input: raw transactions come from the network --------------------------------------------------

    // The EIP-155 example's nine fields, each as its own RLP encoding (the Yellow Paper, Appendix B: a byte below 0x80
    // is itself, a shorter-than-56-byte string is 0x80 + length then the bytes).
    private static readonly string[] Eip155Items =
    [
        "09", "8504a817c800", "825208", "94" + string.Concat(Enumerable.Repeat("35", 20)), "880de0b6b3a7640000", "80", "25",
        "a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276",
        "a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
    ];

    // An RLP list of already-encoded items: 0xc0 + length below 56 bytes of payload, else 0xf7 + 1 + one length byte.
    private static byte[] RlpList(IEnumerable<string> encodedItems)
    {
        var payload = Convert.FromHexString(string.Concat(encodedItems));
        byte[] header = payload.Length < 56 ? [(byte)(0xc0 + payload.Length)] : [0xf8, (byte)payload.Length];
        return [.. header, .. payload];
    }

    private static byte[] Eip155With(int index, string encodedItem) =>
        RlpList(Eip155Items.Select((item, i) => i == index ? encodedItem : item));

    [Fact]
    public void Decode_reads_the_EIP_155_transaction_rebuilt_from_its_nine_field_encodings()
    {
        var rebuilt = RlpList(Eip155Items);
        Hex(rebuilt).Should().Be(Eip155SignedTx, "the helper the hostile-input tests below use must agree with the EIP");

        LegacyTxSigner.Decode(rebuilt).V.Should().Be(new BigInteger(37), "the seventh field, 0x25, is v");
    }

    public static TheoryData<string, string> NonCanonicalTransactions() => new()
    {
        { "the nonce 9 behind a one-byte prefix (0x81 0x09): a byte below 0x80 is its own encoding", Hex(Eip155With(0, "8109")) },
        { "the nonce with a leading zero byte (0x82 0x00 0x09)", Hex(Eip155With(0, "820009")) },
        { "the nonce 0 written as the byte 0x00 instead of the empty string 0x80", Hex(Eip155With(0, "00")) },
        { "a 19-byte to", Hex(Eip155With(3, "93" + string.Concat(Enumerable.Repeat("35", 19)))) },
        { "a 21-byte to", Hex(Eip155With(3, "95" + string.Concat(Enumerable.Repeat("35", 21)))) },
        { "data as a nested empty list (0xc0) instead of a byte string", Hex(Eip155With(5, "c0")) },
        // Read as a string, 0xc0 would be 0xb7 + 9: a long form with nine length bytes, here 01 00..00 38, which a
        // 64-bit accumulator wraps to 56, then 56 bytes of data. 0xc0 is the empty list: the first list prefix.
        { "0xc0, the empty list, then bytes an off-by-one list boundary reads as 56 bytes of data", Hex(Eip155With(5, "c0" + "01000000000000" + "0038" + string.Concat(Enumerable.Repeat("ab", 56)))) },
        { "data of 3 bytes in the long form (0xb8 0x03), which is only for 56 bytes or more", Hex(Eip155With(5, "b803010203")) },
        { "data whose long length has a leading zero (0xb9 0x00 0x38)", Hex(Eip155With(5, "b90038" + string.Concat(Enumerable.Repeat("01", 56)))) },
        { "eight fields (no s)", Hex(RlpList(Eip155Items[..8])) },
        { "ten fields (an extra empty string)", Hex(RlpList([.. Eip155Items, "80"])) },
        { "a byte after the list", Eip155SignedTx + "00" },
        { "a byte string, not a list", "0x80" },
        { "the nine fields behind a byte-string header (0xb8 0x6c) instead of the list header (0xf8 0x6c)", "0xb8" + Eip155SignedTx[4..] },
        { "nothing at all", "0x" },
        { "a list header whose length is truncated (0xf9 and one of its two length bytes)", "0xf901" },
        { "a list whose 8-byte length wraps a 64-bit integer", "0xff8000000000000001" },
        { "a list whose 8-byte length is 2^56 + 1", "0xff0100000000000001" },
        { "the list header in the long form for 9 bytes of payload", "0xf809" + "808080808080808080" },
    };

    [Theory]
    [MemberData(nameof(NonCanonicalTransactions))]
    public void Decode_rejects_a_malformed_or_non_canonical_transaction_with_FormatException(string problem, string rawHex)
    {
        var act = () => LegacyTxSigner.Decode(Bytes(rawHex));

        act.Should().Throw<FormatException>(
            $"{problem}: RLP has exactly one encoding per value, and a node that accepts another one lets the same transaction travel under two hashes");
    }

    // The boundaries of the canonical forms, from the Yellow Paper's RLP rules: the byte 0x80 is a one-byte string, so
    // it takes the prefix 0x81; a 56-byte string is the first to take the long form 0xb8 0x38.
    [Fact]
    public void Decode_reads_the_byte_0x80_behind_its_prefix_and_56_bytes_of_data_in_the_long_form()
    {
        var data56 = string.Concat(Enumerable.Repeat("ab", 56));
        var raw = RlpList([.. Eip155Items[..1], "8180", .. Eip155Items[2..5], "b838" + data56, .. Eip155Items[6..]]);

        var signed = LegacyTxSigner.Decode(raw);

        signed.Transaction.GasPrice.Should().Be(new BigInteger(0x80), "0x81 0x80 is the canonical encoding of the integer 128");
        Hex(signed.Transaction.Data).Should().Be("0x" + data56, "0xb8 0x38 announces 56 bytes: the shortest string in the long form");
    }

    [Fact]
    public void Decode_of_every_truncation_and_every_one_byte_change_throws_only_FormatException()
    {
        var raw = Bytes(Eip155SignedTx);
        var inputs = Enumerable.Range(0, raw.Length).Select(n => raw[..n])
            .Concat(Enumerable.Range(0, raw.Length).SelectMany(i => new byte[] { 0x00, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xbf, 0xc0, 0xf7, 0xf8, 0xff }
                .Select(b => { var changed = raw.ToArray(); changed[i] = b; return changed; })));

        foreach (var input in inputs)
        {
            try
            {
                LegacyTxSigner.Decode(input);
            }
            catch (FormatException)
            {
                // documented
            }
            catch (Exception e) when (e is not NotImplementedException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Decode({Hex(input)}) threw {e.GetType().Name}: raw transactions come from the network, so malformed bytes must be the documented FormatException ({e.Message})");
            }
        }
    }

    // Hand-derived from the Yellow Paper's RLP rules: nonce 0 -> 0x80, gas price 128 -> 0x81 0x80, gas limit 127 ->
    // 0x7f, to (creation) -> 0x80, value 0 -> 0x80, data [0x80] -> 0x81 0x80, chainId 1 -> 0x01, then 0x80 0x80:
    // 11 bytes of payload, so the list header is 0xc0 + 11.
    [Fact]
    public void SigningData_encodes_0x7f_as_itself_and_0x80_behind_a_prefix()
    {
        var transaction = new LegacyTransaction(0, 128, 127, To: null, Value: 0, Data: [0x80]);

        Hex(LegacyTxSigner.SigningData(transaction, 1)).Should().Be("0xcb8081807f808081800180" + "80",
            "bytes below 0x80 are their own encoding, 0x80 and above take the 0x81 prefix, and zero is the empty string");
    }

    // Hand-derived likewise: five empty strings, data of 55 or 56 zero bytes, chainId 1, two empty strings. 55 bytes is
    // the longest short string (0xb7); 56 takes the long form (0xb8 0x38), and the list of 66 bytes is 0xf8 0x42.
    [Theory]
    [InlineData(55, "0xf8408080808080b7")]
    [InlineData(56, "0xf8428080808080b838")]
    public void SigningData_switches_to_the_long_form_at_56_bytes(int dataLength, string expectedStart)
    {
        var transaction = new LegacyTransaction(0, 0, 0, To: null, Value: 0, Data: new byte[dataLength]);

        Hex(LegacyTxSigner.SigningData(transaction, 1)).Should().Be(expectedStart + new string('0', 2 * dataLength) + "018080",
            "RLP's short form covers 0..55 bytes; from 56 the header holds the length of the length");
    }

    [Fact]
    public void SigningData_rejects_a_negative_field_and_a_to_that_is_not_20_bytes_and_a_null_transaction()
    {
        var negative = () => LegacyTxSigner.SigningData(Eip155Example with { Value = -1 }, 1);
        var shortTo = () => LegacyTxSigner.SigningData(Eip155Example with { To = new byte[19] }, 1);
        var none = () => LegacyTxSigner.SigningData(null!, 1);

        negative.Should().Throw<ArgumentOutOfRangeException>("RLP integers are unsigned: a negative value has no encoding");
        shortTo.Should().Throw<ArgumentException>("an address is 20 bytes; 19 would shift every later field");
        none.Should().Throw<ArgumentNullException>().WithParameterName("transaction");
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    public void Sign_rejects_a_private_key_outside_1_to_n_minus_1(string keyHex)
    {
        var act = () => LegacyTxSigner.Sign(Eip155Example, 1, Convert.FromHexString(keyHex));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("privateKey",
            "a private key is a scalar in [1, n - 1] (SEC 2: n = fffff...364141)");
    }

    [Fact]
    public void Sign_rejects_a_private_key_that_is_not_32_bytes()
    {
        var act = () => LegacyTxSigner.Sign(Eip155Example, 1, Eip155Key[..31]);

        act.Should().Throw<ArgumentException>().WithParameterName("privateKey", "a secp256k1 private key is 32 bytes");
    }

    // secp256k1's n (SEC 2 v2, 2.4.1) and floor(n / 2), the largest s EIP-2 allows.
    private const string N = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    private const string HalfN = "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0";

    public static TheoryData<string, int, string> InvalidSignatures() => new()
    {
        { "v = 39 (recovery id 2) on chain 1", 6, "27" },
        { "v = 36 (recovery id -1) on chain 1", 6, "24" },
        { "v = 28, unprotected", 6, "1c" },
        { "r = 0", 7, "80" },
        { "r = n", 7, "a0" + N },
        // 5^3 + 7 is not a square modulo p (Euler's criterion), so no curve point has x = 5.
        { "r = 5, which is no point's x", 7, "05" },
        { "s = 0", 8, "80" },
        { "s = floor(n / 2) + 1, a high s", 8, "a07fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1" },
    };

    [Theory]
    [MemberData(nameof(InvalidSignatures))]
    public void RecoverSender_rejects_an_invalid_v_r_or_s_with_ArgumentException(string problem, int field, string encoded)
    {
        var act = () => LegacyTxSigner.RecoverSender(Eip155With(field, encoded), expectedChainId: 1);

        act.Should().Throw<ArgumentException>().Where(e => e.GetType() == typeof(ArgumentException),
            $"{problem}: the documented ArgumentException, not a math library's exception and not some other sender");
    }

    [Fact]
    public void RecoverSender_accepts_an_s_of_exactly_floor_n_over_2()
    {
        var act = () => LegacyTxSigner.RecoverSender(Eip155With(8, "a0" + HalfN), expectedChainId: 1);

        act.Should().NotThrow("EIP-2 refuses s > n/2; floor(n/2) itself is the top of the low half and recovers some key");
    }

    [Fact]
    public void RecoverSender_rejects_the_high_s_twin_of_the_EIP_155_example()
    {
        // (r, n - s) with the other recovery id (v 37 -> 38) is the same signer's second valid ECDSA signature.
        var s = BigInteger.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531");
        var twinS = BigInteger.Parse("0" + N, System.Globalization.NumberStyles.HexNumber) - s;
        var raw = RlpList([.. Eip155Items[..6], "26", Eip155Items[7], "a0" + twinS.ToString("x64")[^64..]]);

        var act = () => LegacyTxSigner.RecoverSender(raw, expectedChainId: 1);

        act.Should().Throw<ArgumentException>("EIP-2: a high s is refused, or anyone could give a transaction a second hash");
    }
}
