using System.Numerics;

namespace Koans.Ethereum.Eip1559Tx;

public class Eip1559SignerTests
{
    // PUBLIC TEST KEY: Anvil account 0 (mnemonic "test test ... junk"). Never use it on a real network.
    internal static readonly byte[] AnvilKey0 =
        Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    internal const string AnvilAddress0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    // Generated with Foundry cast 1.7.1 (npm package @foundry-rs/cast), offline:
    //   cast mktx --private-key 0xac09...ff80 --chain 31337 --nonce 0 --gas-limit 21000 --gas-price 2000000000 \
    //     --priority-gas-price 1000000000 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --value 1ether
    internal static readonly Eip1559Transaction Transfer = new(
        ChainId: 31337, Nonce: 0, MaxPriorityFeePerGas: 1_000_000_000, MaxFeePerGas: 2_000_000_000, GasLimit: 21_000,
        To: Convert.FromHexString("70997970c51812dc3a010c7d01b50e0d17dc79c8"), Value: BigInteger.Pow(10, 18),
        Data: [], AccessList: []);

    internal const string TransferRaw =
        "0x02f874827a6980843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c8880de0b6b3a764000080c080a074128fd7d42631897474d93692787a2e56b813754468caaca4993c641c986a37a06d5a3b027177cc2841199b70400fece0a29ac5eabee2fa9cbf9b6aa213716c48";

    // Generated with Foundry cast 1.7.1, offline:
    //   cast mktx --private-key 0xac09...ff80 --chain 1 --nonce 7 --gas-limit 60000 --gas-price 30000000000 \
    //     --priority-gas-price 2000000000 0x5FbDB2315678afecb367f032d93F642f64180aa3 "transfer(address,uint256)" \
    //     0x70997970C51812dc3A010C7d01b50e0d17dc79C8 1000 \
    //     --access-list '[{"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3","storageKeys":["0x00..01"]}]'
    private static readonly Eip1559Transaction TokenTransferWithAccessList = new(
        ChainId: 1, Nonce: 7, MaxPriorityFeePerGas: 2_000_000_000, MaxFeePerGas: 30_000_000_000, GasLimit: 60_000,
        To: Convert.FromHexString("5fbdb2315678afecb367f032d93f642f64180aa3"), Value: 0,
        Data: Convert.FromHexString(
            "a9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8" +
            "00000000000000000000000000000000000000000000000000000000000003e8"),
        AccessList:
        [
            new AccessListEntry(
                Convert.FromHexString("5fbdb2315678afecb367f032d93f642f64180aa3"),
                [Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001")]),
        ]);

    internal const string TokenTransferRaw =
        "0x02f8e9010784773594008506fc23ac0082ea60945fbdb2315678afecb367f032d93f642f64180aa380b844a9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000000000000000000000000000000000000000003e8f838f7945fbdb2315678afecb367f032d93f642f64180aa3e1a0000000000000000000000000000000000000000000000000000000000000000180a01ef056feec200cf526efd2cd170f8ad54d3b2cb9219871a74ea62166bce3d5bea05b70d480b3137fb92487ccbfca7e8fc93b83f88595394458fe97f18c6cb8d894";

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex[2..]);

    [Fact]
    public void Sign_reproduces_cast_mktx_for_a_plain_transfer() =>
        Hex(Eip1559Signer.Sign(Transfer, AnvilKey0)).Should().Be(TransferRaw,
            "0x02 || rlp([chainId, nonce, tip, maxFee, gas, to, value, data, [], yParity, r, s]) with RFC 6979 k");

    [Fact]
    public void Sign_reproduces_cast_mktx_with_calldata_and_an_access_list() =>
        Hex(Eip1559Signer.Sign(TokenTransferWithAccessList, AnvilKey0)).Should().Be(TokenTransferRaw,
            "the access list is a list of [address, [storageKey, ...]] pairs, nested RLP lists");

    [Fact]
    public void SigningPayload_starts_with_the_type_byte_2()
    {
        var payload = Eip1559Signer.SigningPayload(Transfer);

        payload[0].Should().Be(0x02, "EIP-2718: TransactionType || TransactionPayload");
        payload[1].Should().BeGreaterThanOrEqualTo(0xc0, "the payload after the type byte is one RLP list");
    }

    // `cast decode-transaction <TransferRaw>` (Foundry cast 1.7.1) prints this "hash", equal to `cast keccak <TransferRaw>`.
    [Fact]
    public void TransactionHash_is_keccak_of_the_raw_bytes_including_the_type() =>
        Hex(Eip1559Signer.TransactionHash(Bytes(TransferRaw))).Should().Be(
            "0x7d4c13ed95c0cee830d7457ec5a5976db1fc301cfa7a23fef0039a7ccf6aea87");

    // `cast decode-transaction <TransferRaw>` (Foundry cast 1.7.1): chainId 0x7a69, yParity 0x0, r and s as below.
    [Fact]
    public void Decode_reads_the_fields_and_a_bare_y_parity()
    {
        var signed = Eip1559Signer.Decode(Bytes(TransferRaw));

        signed.Transaction.ChainId.Should().Be(31337ul);
        signed.Transaction.MaxFeePerGas.Should().Be(new BigInteger(2_000_000_000));
        signed.Transaction.To.Should().Equal(Transfer.To);
        signed.Transaction.AccessList.Should().BeEmpty();
        signed.YParity.Should().Be(0, "type-2 transactions carry the recovery id itself, not 27/28 or 35 + 2 * chainId");
        signed.R.Should().Be(new BigInteger(Bytes("0x74128fd7d42631897474d93692787a2e56b813754468caaca4993c641c986a37"), true, true));
        signed.S.Should().Be(new BigInteger(Bytes("0x6d5a3b027177cc2841199b70400fece0a29ac5eabee2fa9cbf9b6aa213716c48"), true, true));
    }

    [Fact]
    public void RecoverSender_finds_Anvil_account_0_through_the_access_list() =>
        Eip1559Signer.RecoverSender(Bytes(TokenTransferRaw)).Should().Be(AnvilAddress0,
            "`cast decode-transaction` reports this signer");

    [Fact]
    public void SigningPayload_rejects_a_tip_above_the_fee_cap()
    {
        var invalid = Transfer with { MaxPriorityFeePerGas = 3_000_000_000 };

        var act = () => Eip1559Signer.SigningPayload(invalid);

        act.Should().Throw<ArgumentException>("EIP-1559: a transaction with maxPriorityFeePerGas > maxFeePerGas is invalid");
    }

    [Fact]
    public void Decode_rejects_another_transaction_type()
    {
        var raw = Bytes(TransferRaw);
        raw[0] = 0x01; // an EIP-2930 type byte in front of a type-2 payload

        var act = () => Eip1559Signer.Decode(raw);

        act.Should().Throw<FormatException>("the first byte selects the payload format; 0x01 is not 0x02");
    }

    [Fact]
    public void Decode_rejects_a_y_parity_of_27()
    {
        // TransferRaw with the yParity byte 0x80 (0) replaced by 0x1b (27): same length, legacy-style v.
        var raw = Bytes(TransferRaw.Replace("c080a0", "c01ba0", StringComparison.Ordinal));

        var act = () => Eip1559Signer.Decode(raw);

        act.Should().Throw<FormatException>("yParity is 0 or 1; a v of 27 is a legacy habit the type-2 format removed");
    }

    [Fact]
    public void Decode_of_a_payload_nested_20000_deep_throws_FormatException_instead_of_overflowing_the_stack()
    {
        // 0x02 || [[[...[]...]]], 20 000 lists inside each other, written with the RLP rules directly.
        var reversed = new List<byte> { 0xc0 };
        for (var level = 1; level < 20_000; level++)
        {
            var length = reversed.Count;
            byte[] prefix = length < 56
                ? [(byte)(0xc0 + length)]
                : [(byte)(0xf7 + new BigInteger(length).GetByteCount(isUnsigned: true)), .. new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true)];
            reversed.AddRange(prefix.Reverse());
        }

        reversed.Add(0x02);
        reversed.Reverse();
        var raw = reversed.ToArray();

        var act = () => Eip1559Signer.Decode(raw);

        act.Should().Throw<FormatException>(
            "a raw transaction comes from anyone; a decoder that recurses 20 000 levels overflows the stack, which .NET cannot catch");
    }

    [Fact]
    public void Decode_rejects_a_legacy_transaction()
    {
        // EIP-155's example signed transaction (EIP-155, "Example").
        var legacy = Bytes("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");

        var act = () => Eip1559Signer.Decode(legacy);

        act.Should().Throw<FormatException>("a first byte >= 0xc0 is a legacy RLP list, not a typed transaction");
    }

    [Fact]
    public void A_tampered_value_recovers_another_sender()
    {
        var raw = Bytes(TransferRaw);
        var value = Convert.ToHexStringLower(raw).IndexOf("880de0b6", StringComparison.Ordinal) / 2 + 1;
        raw[value] = 0x0e; // value 0x0de0b6b3a7640000 (1 ether) -> 0x0ee0b6b3a7640000

        Eip1559Signer.RecoverSender(raw).Should().NotBe(AnvilAddress0);
    }
}
