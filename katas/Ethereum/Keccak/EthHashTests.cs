using System.Security.Cryptography;

namespace Koans.Ethereum.Keccak;

public class EthHashTests
{
    // `cast keccak ""` (Foundry cast 1.7.1) prints this; it is also KECCAK_EMPTY, the codeHash of every account
    // without code (Ethereum Yellow Paper, section 4.1).
    [Fact]
    public void Keccak256_of_the_empty_input_is_Ethereums_empty_code_hash() =>
        Convert.ToHexStringLower(EthHash.Keccak256([])).Should().Be(
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
            "KECCAK_EMPTY is the Keccak-256 of zero bytes");

    [Fact]
    public void Keccak256_is_not_the_SHA3_256_that_dotnet_ships()
    {
        var keccak = Convert.ToHexStringLower(EthHash.Keccak256([]));

        keccak.Should().NotBe(
            // NIST "Examples with Intermediate Values", SHA3-256_Msg0: SHA3-256 of the empty message.
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
            "Ethereum uses Keccak with its original 0x01 padding; FIPS 202 SHA-3 pads with 0x06, so every digest differs");
        if (SHA3_256.IsSupported)
        {
            keccak.Should().NotBe(Convert.ToHexStringLower(SHA3_256.HashData([])),
                "System.Security.Cryptography.SHA3_256 is the NIST function, not Ethereum's Keccak-256");
        }
    }

    // `cast sig "transfer(address,uint256)"` (Foundry cast 1.7.1) prints 0xa9059cbb: the ERC-20 transfer selector.
    [Fact]
    public void FunctionSelector_of_ERC20_transfer_is_a9059cbb() =>
        EthHash.FunctionSelector("transfer(address,uint256)").Should().Be("0xa9059cbb",
            "the selector is the first 4 bytes of keccak256(\"transfer(address,uint256)\")");

    // Solidity ABI specification, section "Examples": "0xcdcd77c0: the Method ID. This is derived as the first
    // 4 bytes of the Keccak hash of the ASCII form of the signature baz(uint32,bool)."
    [Fact]
    public void FunctionSelector_of_the_ABI_spec_example_baz_is_cdcd77c0() =>
        EthHash.FunctionSelector("baz(uint32,bool)").Should().Be("0xcdcd77c0",
            "the Solidity ABI spec's Examples section publishes this Method ID");

    // `cast keccak "Transfer(address,address,uint256)"` (Foundry cast 1.7.1) prints this topic.
    [Fact]
    public void EventTopic_of_ERC20_Transfer_is_ddf252ad() =>
        EthHash.EventTopic("Transfer(address,address,uint256)").Should().Be(
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            "topics[0] of every ERC-20 Transfer log is the full Keccak-256 of the canonical event signature");

    // `cast keccak "Approval(address,address,uint256)"` (Foundry cast 1.7.1) prints this topic.
    [Fact]
    public void EventTopic_of_ERC20_Approval_is_8c5be1e5() =>
        EthHash.EventTopic("Approval(address,address,uint256)").Should().Be(
            "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925",
            "every event has its own topic, derived the same way");

    [Fact]
    public void FunctionSelector_rejects_a_signature_with_a_space()
    {
        var act = () => EthHash.FunctionSelector("transfer(address, uint256)");

        act.Should().Throw<FormatException>(
            "the space would be hashed too, giving the selector of a function no contract has");
    }

    [Theory]
    [InlineData("f(uint256)\n")]
    [InlineData("f(uint256)\r\n")]
    public void FunctionSelector_rejects_a_signature_followed_by_a_line_break(string signature)
    {
        var act = () => EthHash.FunctionSelector(signature);

        act.Should().Throw<FormatException>(
            "the line break would be hashed too; a regex anchored with $ matches before a final \\n, so anchor with \\z");
    }

    [Fact]
    public void FunctionSelector_rejects_the_uint_alias()
    {
        var act = () => EthHash.FunctionSelector("transfer(address,uint)");

        act.Should().Throw<FormatException>("the canonical type name is uint256; uint is a Solidity source alias");
    }

    [Fact]
    public void EventTopic_rejects_a_signature_without_parentheses()
    {
        var act = () => EthHash.EventTopic("Transfer");

        act.Should().Throw<FormatException>("a signature is name(type,type,...), even with no parameters: name()");
    }

    [Fact]
    public void FunctionSelector_and_EventTopic_refuse_null_by_parameter_name()
    {
        var selector = () => EthHash.FunctionSelector(null!);
        var topic = () => EthHash.EventTopic(null!);

        selector.Should().ThrowExactly<ArgumentNullException>("null is the caller's bug, named as theirs").WithParameterName("signature");
        topic.Should().ThrowExactly<ArgumentNullException>("null is the caller's bug, named as theirs").WithParameterName("signature");
    }
}
