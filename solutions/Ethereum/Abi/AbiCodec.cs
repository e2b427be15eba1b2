using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Koans.Ethereum.Abi;

/// <summary>Reference solution for ethereum.abi.</summary>
public static class AbiCodec
{
    private const int Word = 32;
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(IReadOnlyList<string> types, IReadOnlyList<object> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        return EncodeSequence(types.Select(AbiType.Parse).ToList(), values.ToList());
    }

    public static byte[] EncodeCall(string signature, params object[] args)
    {
        var types = ParseSignature(signature);
        return [.. Selector(signature), .. Encode(types, args)];
    }

    public static object[] Decode(IReadOnlyList<string> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        return DecodeSequence(types.Select(AbiType.Parse).ToList(), data);
    }

    public static object[] DecodeCall(string signature, ReadOnlySpan<byte> calldata)
    {
        var types = ParseSignature(signature);
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(Selector(signature)))
        {
            throw new FormatException($"The calldata does not start with the selector of {signature}.");
        }

        return Decode(types, calldata[4..]);
    }

    // ---- Types ----------------------------------------------------------------------------------------------------

    private abstract record AbiType
    {
        public abstract bool IsDynamic { get; }

        /// <summary>Head size of a static type (dynamic types take one offset word).</summary>
        public virtual int StaticSize => Word;

        public static AbiType Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            if (text.EndsWith(']'))
            {
                var open = text.LastIndexOf('[');
                if (open <= 0)
                {
                    throw new ArgumentException($"Malformed array type '{text}'.");
                }

                var size = text[(open + 1)..^1];
                int? length = size.Length == 0 ? null
                    : int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0 ? k
                    : throw new ArgumentException($"Malformed array length in '{text}'.");
                return new ArrayType(Parse(text[..open]), length);
            }

            if (text.StartsWith('(') && text.EndsWith(')'))
            {
                return new TupleType(SplitTopLevel(text[1..^1]).Select(Parse).ToList());
            }

            return text switch
            {
                "address" => new UintType(160, IsAddress: true),
                "bool" => new BoolType(),
                "bytes" => new BytesType(),
                "string" => new StringType(),
                _ when Sized(text, "uint", 8, 256, 8) is { } bits => new UintType(bits),
                _ when Sized(text, "int", 8, 256, 8) is { } bits => new IntType(bits),
                _ when Sized(text, "bytes", 1, 32, 1) is { } n => new FixedBytesType(n),
                _ => throw new ArgumentException($"Unknown or non-canonical ABI type '{text}' (write uint256, not uint)."),
            };
        }

        private static int? Sized(string text, string prefix, int min, int max, int step) =>
            text.StartsWith(prefix, StringComparison.Ordinal)
            && text.Length > prefix.Length && text[prefix.Length] != '0'
            && int.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= min && n <= max && n % step == 0
                ? n
                : null;
    }

    private sealed record UintType(int Bits, bool IsAddress = false) : AbiType
    {
        public override bool IsDynamic => false;
    }

    private sealed record IntType(int Bits) : AbiType
    {
        public override bool IsDynamic => false;
    }

    private sealed record BoolType : AbiType
    {
        public override bool IsDynamic => false;
    }

    private sealed record FixedBytesType(int Length) : AbiType
    {
        public override bool IsDynamic => false;
    }

    private sealed record BytesType : AbiType
    {
        public override bool IsDynamic => true;
    }

    private sealed record StringType : AbiType
    {
        public override bool IsDynamic => true;
    }

    private sealed record ArrayType(AbiType Element, int? Length) : AbiType
    {
        public override bool IsDynamic => Length is null || Element.IsDynamic;

        public override int StaticSize => IsDynamic ? Word : Length!.Value * Element.StaticSize;
    }

    private sealed record TupleType(IReadOnlyList<AbiType> Components) : AbiType
    {
        public override bool IsDynamic => Components.Any(c => c.IsDynamic);

        public override int StaticSize => IsDynamic ? Word : Components.Sum(c => c.StaticSize);
    }

    // ---- Encoding -------------------------------------------------------------------------------------------------

    private static byte[] EncodeSequence(IReadOnlyList<AbiType> types, IReadOnlyList<object> values)
    {
        if (types.Count != values.Count)
        {
            throw new ArgumentException($"Expected {types.Count} values, got {values.Count}.");
        }

        var headSize = types.Sum(t => t.StaticSize);
        var heads = new List<byte>(headSize);
        var tails = new List<byte>();
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                // The offset is measured from the start of this sequence.
                heads.AddRange(UintWord(headSize + tails.Count));
                tails.AddRange(EncodeValue(types[i], values[i]));
            }
            else
            {
                heads.AddRange(EncodeValue(types[i], values[i]));
            }
        }

        return [.. heads, .. tails];
    }

    private static byte[] EncodeValue(AbiType type, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (type)
        {
            case UintType { IsAddress: true }:
                return [.. new byte[12], .. ParseAddress(value)];
            case UintType u:
                var unsigned = ToBigInteger(value);
                if (unsigned.Sign < 0 || unsigned >= BigInteger.One << u.Bits)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, $"Does not fit in uint{u.Bits}.");
                }

                return UintWord(unsigned);
            case IntType s:
                var signed = ToBigInteger(value);
                var limit = BigInteger.One << (s.Bits - 1);
                if (signed < -limit || signed >= limit)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, $"Does not fit in int{s.Bits}.");
                }

                return UintWord(signed.Sign < 0 ? signed + TwoTo256 : signed); // two's complement over 256 bits
            case BoolType:
                return UintWord(value is bool b ? (b ? 1 : 0) : throw new ArgumentException("A bool value must be a bool."));
            case FixedBytesType f:
                var fixedBytes = value as byte[] ?? throw new ArgumentException($"bytes{f.Length} needs a byte[].");
                if (fixedBytes.Length != f.Length)
                {
                    throw new ArgumentException($"bytes{f.Length} needs exactly {f.Length} bytes, got {fixedBytes.Length}.");
                }

                return PadRight(fixedBytes);
            case BytesType:
                var bytes = value as byte[] ?? throw new ArgumentException("bytes needs a byte[].");
                return [.. UintWord(bytes.Length), .. PadRight(bytes)];
            case StringType:
                var text = value as string ?? throw new ArgumentException("string needs a string.");
                var utf8 = StrictUtf8.GetBytes(text);
                return [.. UintWord(utf8.Length), .. PadRight(utf8)];
            case ArrayType a:
                var items = (value as IList ?? throw new ArgumentException("An array needs an IList.")).Cast<object>().ToList();
                if (a.Length is { } k && items.Count != k)
                {
                    throw new ArgumentException($"The fixed array needs exactly {k} elements, got {items.Count}.");
                }

                var elements = EncodeSequence(Enumerable.Repeat(a.Element, items.Count).ToList(), items);
                return a.Length is null ? [.. UintWord(items.Count), .. elements] : elements;
            case TupleType t:
                var components = (value as IList ?? throw new ArgumentException("A tuple needs an IList.")).Cast<object>().ToList();
                return EncodeSequence(t.Components, components);
            default:
                throw new ArgumentException($"Unsupported type {type}.");
        }
    }

    private static BigInteger ToBigInteger(object value) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        _ => throw new ArgumentException($"An integer needs a BigInteger, int, long, uint or ulong, not {value.GetType()}."),
    };

    private static byte[] ParseAddress(object value)
    {
        if (value is not string s || s.Length != 42 || !s.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new ArgumentException("An address needs a \"0x\" + 40 hex digits string.");
        }

        try
        {
            return Convert.FromHexString(s.AsSpan(2));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("An address needs a \"0x\" + 40 hex digits string.", e);
        }
    }

    private static byte[] UintWord(BigInteger value)
    {
        // Zero gives [0x00], which pads to the same 32 zero bytes.
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[Word - bytes.Length], .. bytes];
    }

    private static byte[] PadRight(byte[] bytes) => [.. bytes, .. new byte[(Word - bytes.Length % Word) % Word]];

    // ---- Decoding -------------------------------------------------------------------------------------------------

    private static object[] DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        var result = new object[types.Count];
        var head = 0;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                var offset = ReadLength(data, head, "offset");
                // Every dynamic value starts with at least one word (a length, or its own head).
                if (offset > data.Length - Word)
                {
                    throw new FormatException($"Offset {offset} points past the end of the data ({data.Length} bytes).");
                }

                result[i] = DecodeValue(types[i], data[offset..]);
                head += Word;
            }
            else
            {
                // Every word read goes through ReadWord, which throws FormatException past the end.
                result[i] = DecodeValue(types[i], data[head..]);
                head += types[i].StaticSize;
            }
        }

        return result;
    }

    private static object DecodeValue(AbiType type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case UintType { IsAddress: true }:
                var word = ReadWord(data, 0);
                RequireZero(word[..12], "address");
                return "0x" + Convert.ToHexStringLower(word[12..]);
            case UintType u:
                var unsigned = new BigInteger(ReadWord(data, 0), isUnsigned: true, isBigEndian: true);
                return unsigned < BigInteger.One << u.Bits
                    ? unsigned
                    : throw new FormatException($"The word does not fit in uint{u.Bits} (dirty high bits).");
            case IntType s:
                var signed = new BigInteger(ReadWord(data, 0), isUnsigned: false, isBigEndian: true);
                var limit = BigInteger.One << (s.Bits - 1);
                return signed >= -limit && signed < limit
                    ? signed
                    : throw new FormatException($"The word is not a sign-extended int{s.Bits}.");
            case BoolType:
                var flag = new BigInteger(ReadWord(data, 0), isUnsigned: true, isBigEndian: true);
                return flag.IsZero ? false : flag.IsOne ? true : throw new FormatException("A bool must be 0 or 1.");
            case FixedBytesType f:
                var fixedWord = ReadWord(data, 0);
                RequireZero(fixedWord[f.Length..], $"bytes{f.Length}");
                return fixedWord[..f.Length].ToArray();
            case BytesType:
                return ReadBytes(data);
            case StringType:
                try
                {
                    return StrictUtf8.GetString(ReadBytes(data));
                }
                catch (DecoderFallbackException e)
                {
                    throw new FormatException("The string is not valid UTF-8.", e);
                }

            case ArrayType a:
                if (a.Length is { } k)
                {
                    return DecodeSequence(Enumerable.Repeat(a.Element, k).ToList(), data);
                }

                var count = ReadLength(data, 0, "array length");
                // Every element takes at least one head word: reject absurd counts before allocating.
                if (count > (data.Length - Word) / Word)
                {
                    throw new FormatException($"The array announces {count} elements, more than the data can hold.");
                }

                return DecodeSequence(Enumerable.Repeat(a.Element, count).ToList(), data[Word..]);
            case TupleType t:
                return DecodeSequence(t.Components, data);
            default:
                throw new ArgumentException($"Unsupported type {type}.");
        }
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> data)
    {
        var length = ReadLength(data, 0, "byte length");
        // In long: a length near int.MaxValue plus its padding overflows an int and would pass the check.
        var padded = length + (long)((Word - length % Word) % Word);
        if (padded > data.Length - Word)
        {
            throw new FormatException($"Truncated data: {length} bytes announced, {data.Length - Word} available.");
        }

        return data.Slice(Word, length).ToArray();
    }

    private static ReadOnlySpan<byte> ReadWord(ReadOnlySpan<byte> data, int position) =>
        position >= 0 && data.Length - position >= Word
            ? data.Slice(position, Word)
            : throw new FormatException("Truncated data: fewer than 32 bytes left for a word.");

    private static int ReadLength(ReadOnlySpan<byte> data, int position, string what)
    {
        var value = new BigInteger(ReadWord(data, position), isUnsigned: true, isBigEndian: true);
        return value <= int.MaxValue ? (int)value : throw new FormatException($"The {what} {value} is out of range.");
    }

    private static void RequireZero(ReadOnlySpan<byte> padding, string type)
    {
        if (padding.ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"Non-zero padding in a {type} value.");
        }
    }

    // ---- Signatures -----------------------------------------------------------------------------------------------

    private static List<string> ParseSignature(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var open = signature.IndexOf('(');
        if (open <= 0 || !signature.EndsWith(')'))
        {
            throw new ArgumentException($"'{signature}' is not name(type,...).", nameof(signature));
        }

        return SplitTopLevel(signature[(open + 1)..^1]);
    }

    private static List<string> SplitTopLevel(string list)
    {
        var parts = new List<string>();
        if (list.Length == 0)
        {
            return parts;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            switch (list[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(list[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(list[start..]);
        return parts;
    }

    private static byte[] Selector(string signature)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(Encoding.ASCII.GetBytes(signature));
        var hash = new byte[32];
        keccak.DoFinal(hash);
        return hash[..4];
    }
}
