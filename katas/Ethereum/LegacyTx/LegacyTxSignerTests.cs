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
}
