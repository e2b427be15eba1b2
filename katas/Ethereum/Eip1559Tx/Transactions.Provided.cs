using System.Numerics;

namespace Koans.Ethereum.Eip1559Tx;

// The data model: implemented, not part of the exercise. The exercise is Eip1559Signer.cs.

/// <summary>One EIP-2930 access-list entry: a 20-byte address and the 32-byte storage keys it touches.</summary>
public sealed record AccessListEntry(byte[] Address, IReadOnlyList<byte[]> StorageKeys);

/// <summary>An unsigned EIP-1559 (type 2) transaction. <see cref="To"/> is null for a contract creation.</summary>
public sealed record Eip1559Transaction(
    ulong ChainId,
    BigInteger Nonce,
    BigInteger MaxPriorityFeePerGas,
    BigInteger MaxFeePerGas,
    BigInteger GasLimit,
    byte[]? To,
    BigInteger Value,
    byte[] Data,
    IReadOnlyList<AccessListEntry> AccessList);

/// <summary>A decoded signed type-2 transaction.</summary>
public sealed record SignedEip1559Transaction(Eip1559Transaction Transaction, int YParity, BigInteger R, BigInteger S);
