using System.Text;
using CsCheck;
using Koans.Testing;
using Nethereum.Util;

namespace Koans.Ethereum.Keccak;

/// <summary>
/// Nethereum (Nethereum.Util's Sha3Keccack) as a second, independent oracle: the fixed vectors in EthHashTests say
/// what Keccak-256 is; these compare your hash with a library wallets ship, on 256 generated inputs each. The inputs
/// come from CsCheck generators driven by a fixed PCG seed, so a failure names the input (hex) and reproduces.
/// </summary>
public sealed class EthHashNethereumOracleTests
{
    // Keccak-256 absorbs 136-byte blocks; the padding goes wrong at the block edges first.
    private static readonly Gen<byte[]> Messages = Gen.OneOf(
        Gen.Byte.Array[0, 300],
        Gen.Int[134, 138].SelectMany(length => Gen.Byte.Array[length]),
        Gen.Int[270, 274].SelectMany(length => Gen.Byte.Array[length]),
        Gen.Byte.Array[0, 2]);

    private static readonly string[] ParameterTypes =
        ["uint256", "address", "bool", "bytes32", "bytes", "string", "int8", "uint8[]", "(uint256,address)", "bytes4[2]"];

    private static readonly Gen<string> Signatures =
        from first in Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"]
        from rest in Gen.String[Gen.Char.AlphaNumeric, 0, 12]
        from parameters in Gen.Int[0, ParameterTypes.Length - 1].Array[0, 4]
        select first + rest + "(" + string.Join(",", parameters.Select(i => ParameterTypes[i])) + ")";

    [Fact]
    public void Keccak256_matches_Nethereum_on_generated_messages_including_the_136_byte_block_edges()
    {
        GeneratedCases.ForEach(Messages, message => "0x" + Convert.ToHexStringLower(message), message =>
        {
            var yours = EthHash.Keccak256(message);
            yours.Should().Equal(new Sha3Keccack().CalculateHash(message),
                "Keccak-256 of 0x{0} ({1} bytes) must equal Nethereum's Sha3Keccack (original Keccak padding 0x01, not SHA3's 0x06)",
                Convert.ToHexStringLower(message), message.Length);
        });
    }

    [Fact]
    public void FunctionSelector_and_EventTopic_match_Nethereum_on_generated_signatures()
    {
        GeneratedCases.ForEach(Signatures, signature => $"\"{signature}\" (ASCII 0x{Convert.ToHexStringLower(Encoding.ASCII.GetBytes(signature))})", signature =>
        {
            var selector = EthHash.FunctionSelector(signature);
            var topic = EthHash.EventTopic(signature);
            var expectedTopic = "0x" + new Sha3Keccack().CalculateHash(signature);
            topic.Should().Be(expectedTopic, "the event topic of {0} is keccak256 of its ASCII text, per Nethereum", signature);
            selector.Should().Be(expectedTopic[..10], "the selector of {0} is the first 4 bytes of that hash", signature);
        });
    }
}
