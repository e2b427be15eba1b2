namespace Koans.Ethereum.KeysToAddress;

public class EthKeysTests
{
    // Anvil's default accounts, derived from the test mnemonic "test test test test test test test test test test test
    // junk": printed in anvil's startup banner ("Available Accounts" / "Private Keys"), listed in the Foundry book's
    // anvil reference, and reproduced with `cast wallet address --private-key <key>` (Foundry cast 1.7.1).
    // PUBLIC TEST KEYS: anyone can spend from these addresses on any chain. Never use them outside a local node.
    [Theory]
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    [InlineData("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    [InlineData("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")]
    public void AddressFromPrivateKey_gives_Anvils_default_accounts(string privateKey, string address) =>
        EthKeys.AddressFromPrivateKey(privateKey).Should().Be(address,
            "anvil prints this address for this key: keccak256(X || Y)[12..32], EIP-55 cased");

    // SEC 2 v2, section 2.4.1: the generator G of secp256k1 in uncompressed form. d = 1 gives Q = 1·G = G.
    [Fact]
    public void PublicKey_of_private_key_1_is_the_generator_point() =>
        Convert.ToHexStringLower(EthKeys.PublicKeyFromPrivateKey(Key(1))).Should().Be(
            "04" +
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
            "SEC 2 publishes G = 04 || Gx || Gy, and 1·G = G");

    // `cast wallet public-key --private-key 0xac09...ff80` (Foundry cast 1.7.1) prints X || Y of Anvil account 0.
    [Fact]
    public void PublicKey_of_Anvil_account_0_is_uncompressed_with_the_04_prefix() =>
        Convert.ToHexStringLower(EthKeys.PublicKeyFromPrivateKey(
                Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")))
            .Should().Be("04" +
                "8318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed75" +
                "3547f11ca8696646f2f3acb08e31016afac23e630c5d11f59f61fef57b0d2aa5");

    // `cast wallet address --private-key 0x00..01` (Foundry cast 1.7.1) prints 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf.
    [Fact]
    public void AddressFromPublicKey_hashes_X_and_Y_without_the_04_prefix()
    {
        var generator = Convert.FromHexString(
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");

        Convert.ToHexStringLower(EthKeys.AddressFromPublicKey(generator))
            .Should().Be("7e5f4552091a69125d5dfcb7b8c2659029395bdf",
                "hashing the 65 bytes with the 0x04 prefix gives another, wrong address");
        EthKeys.AddressFromPublicKey(generator.AsSpan(1)).Should().Equal(EthKeys.AddressFromPublicKey(generator),
            "the bare 64-byte X || Y is the same key");
    }

    [Fact]
    public void PublicKeyFromPrivateKey_rejects_the_zero_key()
    {
        var act = () => EthKeys.PublicKeyFromPrivateKey(new byte[32]);

        act.Should().Throw<ArgumentOutOfRangeException>("d = 0 gives the point at infinity, which has no address");
    }

    [Fact]
    public void PublicKeyFromPrivateKey_rejects_the_curve_order()
    {
        // SEC 2 v2, section 2.4.1: n, the order of G. Keys must be in [1, n - 1].
        var n = Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

        var act = () => EthKeys.PublicKeyFromPrivateKey(n);

        act.Should().Throw<ArgumentOutOfRangeException>("n·G is the point at infinity: a key must be below n");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void PublicKeyFromPrivateKey_rejects_a_key_that_is_not_32_bytes(int length)
    {
        // Every byte 0x01: read as a number, each of these would be a valid scalar below n.
        var key = Enumerable.Repeat((byte)0x01, length).ToArray();

        var act = () => EthKeys.PublicKeyFromPrivateKey(key);

        act.Should().ThrowExactly<ArgumentException>(
                "a private key is exactly 32 bytes: a short key padded, or a long one read as a number, is another account's key")
            .WithParameterName("privateKey");
    }

    [Fact]
    public void AddressFromPublicKey_rejects_a_compressed_key()
    {
        // SEC 1 compressed form of G: 02 || Gx.
        var compressed = Convert.FromHexString("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

        var act = () => EthKeys.AddressFromPublicKey(compressed);

        act.Should().Throw<ArgumentException>("the address hashes the uncompressed X || Y; decompress first");
    }

    [Fact]
    public void AddressFromPublicKey_rejects_a_point_off_the_curve()
    {
        var notOnCurve = new byte[65];
        notOnCurve[0] = 0x04;
        notOnCurve[64] = 0x01; // X = 0, Y = 1: 1 != 0^3 + 7

        var act = () => EthKeys.AddressFromPublicKey(notOnCurve);

        act.Should().Throw<ArgumentException>("64 arbitrary bytes are not a public key; check y^2 = x^3 + 7");
    }

    [Theory]
    [InlineData("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")] // no 0x
    [InlineData("0Xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")] // 0X: the prefix is lower case
    [InlineData("00ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")] // 66 characters, no 0x
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8")] // 63 digits
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8000")] // 66 digits
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8g")] // not hex
    [InlineData(" 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8")] // leading space
    public void AddressFromPrivateKey_rejects_anything_but_0x_and_64_hex_digits(string privateKey)
    {
        var act = () => EthKeys.AddressFromPrivateKey(privateKey);

        act.Should().ThrowExactly<FormatException>("a key is 0x followed by exactly 64 hex digits; anything else is a typo to report, not a key to guess at");
    }

    [Fact]
    public void AddressFromPrivateKey_refuses_null_by_parameter_name()
    {
        var act = () => EthKeys.AddressFromPrivateKey(null!);

        act.Should().ThrowExactly<ArgumentNullException>().WithParameterName("privateKeyHex");
    }

    private static byte[] Key(byte last)
    {
        var key = new byte[32];
        key[31] = last;
        return key;
    }
}
