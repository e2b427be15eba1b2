using System.Numerics;

namespace Koans.Ethereum.LegacyTx;

// The data model: implemented, not part of the exercise. The exercise is LegacyTxSigner.cs.

/// <summary>An unsigned legacy (type 0) transaction. <see cref="To"/> is null for a contract creation.</summary>
public sealed record LegacyTransaction(
    BigInteger Nonce, BigInteger GasPrice, BigInteger GasLimit, byte[]? To, BigInteger Value, byte[] Data);

/// <summary>A decoded signed legacy transaction: the fields plus v, r, s as they appear on the wire.</summary>
public sealed record SignedLegacyTransaction(LegacyTransaction Transaction, BigInteger V, BigInteger R, BigInteger S);
