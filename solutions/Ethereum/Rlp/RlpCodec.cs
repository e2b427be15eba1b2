using System.Numerics;
using Org.BouncyCastle.Crypto.Digests;

namespace Koans.Ethereum.Rlp;

/// <summary>Reference solution for ethereum.rlp.</summary>
public static class RlpCodec
{
    private const int ShortLimit = 56;
    private const byte StringOffset = 0x80;
    private const byte ListOffset = 0xc0;

    public const int MaxNestingDepth = 128;

    public static byte[] Encode(RlpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var output = new List<byte>();
        EncodeInto(item, output);
        return [.. output];
    }

    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        var position = 0;
        var item = DecodeAt(encoded, ref position, depth: 0);
        if (position != encoded.Length)
        {
            throw new RlpException($"{encoded.Length - position} trailing byte(s) after the RLP item.");
        }

        return item;
    }

    public static RlpString Integer(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        // Zero is the empty string; ToByteArray would give [0x00].
        return new RlpString(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    public static BigInteger ToInteger(RlpString value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Bytes.Length > 0 && value.Bytes[0] == 0)
        {
            throw new RlpException("An RLP integer has no leading zero bytes.");
        }

        return new BigInteger(value.Bytes, isUnsigned: true, isBigEndian: true);
    }

    public static byte[] ContractAddress(ReadOnlySpan<byte> sender, ulong nonce)
    {
        if (sender.Length != 20)
        {
            throw new ArgumentException("The sender is a 20-byte address.", nameof(sender));
        }

        var encoded = Encode(new RlpList(new RlpString(sender.ToArray()), Integer(nonce)));
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(encoded);
        var hash = new byte[32];
        keccak.DoFinal(hash);
        return hash[12..];
    }

    private static void EncodeInto(RlpItem item, List<byte> output)
    {
        switch (item)
        {
            case RlpString { Bytes: [var single] } when single < StringOffset:
                output.Add(single); // a single byte below 0x80 is its own encoding
                break;
            case RlpString s:
                AddPrefix(output, StringOffset, s.Bytes.Length);
                output.AddRange(s.Bytes);
                break;
            case RlpList list:
                var payload = new List<byte>();
                foreach (var child in list.Items)
                {
                    EncodeInto(child, payload);
                }

                AddPrefix(output, ListOffset, payload.Count);
                output.AddRange(payload);
                break;
            default:
                throw new ArgumentException($"Unknown RLP item type {item.GetType()}.", nameof(item));
        }
    }

    private static void AddPrefix(List<byte> output, byte offset, int length)
    {
        if (length < ShortLimit)
        {
            output.Add((byte)(offset + length));
            return;
        }

        var lengthBytes = new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        output.Add((byte)(offset + ShortLimit - 1 + lengthBytes.Length));
        output.AddRange(lengthBytes);
    }

    private static RlpItem DecodeAt(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (position >= data.Length)
        {
            throw new RlpException("Unexpected end of input.");
        }

        var prefix = data[position++];
        if (prefix < StringOffset)
        {
            return new RlpString([prefix]);
        }

        var isList = prefix >= ListOffset;
        var shortForm = prefix - (isList ? ListOffset : StringOffset);
        int length;
        if (shortForm < ShortLimit)
        {
            length = shortForm;
        }
        else
        {
            length = ReadLongLength(data, ref position, lengthOfLength: shortForm - (ShortLimit - 1));
        }

        if (length > data.Length - position)
        {
            throw new RlpException($"The item announces {length} bytes but only {data.Length - position} remain.");
        }

        var payload = data.Slice(position, length);
        position += length;
        if (!isList)
        {
            if (length == 1 && payload[0] < StringOffset)
            {
                throw new RlpException("A single byte below 0x80 must be encoded as itself, not with a 0x81 prefix.");
            }

            return new RlpString(payload.ToArray());
        }

        // Recursion is bounded: each level is one list, and a hostile input must not be able to overflow the stack.
        if (depth == MaxNestingDepth)
        {
            throw new RlpException($"Lists nested deeper than {MaxNestingDepth} are rejected.");
        }

        var items = new List<RlpItem>();
        var inner = 0;
        while (inner < payload.Length)
        {
            items.Add(DecodeAt(payload, ref inner, depth + 1));
        }

        return new RlpList([.. items]);
    }

    private static int ReadLongLength(ReadOnlySpan<byte> data, ref int position, int lengthOfLength)
    {
        if (lengthOfLength > data.Length - position)
        {
            throw new RlpException("The length field runs past the end of the input.");
        }

        var lengthBytes = data.Slice(position, lengthOfLength);
        position += lengthOfLength;
        if (lengthBytes[0] == 0)
        {
            throw new RlpException("The length has a leading zero byte (not canonical).");
        }

        // Anything beyond int.MaxValue cannot fit in the input anyway (the int32Overflow cases).
        if (lengthOfLength > 4)
        {
            throw new RlpException("The length is larger than any input.");
        }

        long length = 0;
        foreach (var b in lengthBytes)
        {
            length = (length << 8) | b;
        }

        if (length < ShortLimit)
        {
            throw new RlpException($"A length of {length} must use the short form (not canonical).");
        }

        return length > int.MaxValue ? throw new RlpException("The length is larger than any input.") : (int)length;
    }
}
