namespace Koans.Ethereum.Rlp;

// The data model: implemented, not part of the exercise. The exercise is RlpCodec.cs.

/// <summary>An RLP item: either a byte string or a list of items.</summary>
public abstract class RlpItem;

/// <summary>An RLP byte string (RLP has no other scalar: integers are big-endian byte strings).</summary>
public sealed class RlpString(byte[] bytes) : RlpItem
{
    public byte[] Bytes { get; } = bytes ?? throw new ArgumentNullException(nameof(bytes));

    public override string ToString() => "0x" + Convert.ToHexStringLower(Bytes);
}

/// <summary>An RLP list of items.</summary>
public sealed class RlpList(params RlpItem[] items) : RlpItem
{
    public IReadOnlyList<RlpItem> Items { get; } = items ?? throw new ArgumentNullException(nameof(items));

    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}

/// <summary>Malformed or non-canonical RLP input.</summary>
public sealed class RlpException(string message) : Exception(message);
