namespace Koans.Ethereum.Eip1559Tx;

/// <summary>
/// Kata ethereum.eip1559-tx: sign and decode a type-2 (EIP-1559) transaction.
/// </summary>
/// <remarks>
/// <para>The standards are EIP-2718 (https://eips.ethereum.org/EIPS/eip-2718) and EIP-1559
/// (https://eips.ethereum.org/EIPS/eip-1559). EIP-2718 typed transactions are <c>TransactionType || TransactionPayload</c>. For EIP-1559 the type is
/// <c>0x02</c> and the payload is <c>rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value,
/// data, accessList, yParity, r, s])</c>. The access list is a list of <c>[address, [storageKey, ...]]</c>.</para>
/// <list type="bullet">
/// <item><description>The <b>signing hash</b> is keccak256(0x02 || rlp(the first nine fields)). The chain id is a field
/// now, so v no longer encodes it: <b>yParity</b> is the bare recovery id, 0 or 1 (not 27/28, not EIP-155's 35+).</description></item>
/// <item><description>The <b>transaction hash</b> is keccak256 of the whole signed bytes, type byte included.</description></item>
/// <item><description>EIP-1559 makes a transaction invalid when maxPriorityFeePerGas &gt; maxFeePerGas: reject it
/// before signing (<see cref="ArgumentException"/>).</description></item>
/// </list>
/// <para>Sign with secp256k1, deterministic RFC 6979 k, low s, as in ethereum.sign-recover. RLP (with nested lists for
/// the access list), Keccak-256 and recovery are yours to write in this project.
/// Decoding errors (another type byte, a legacy transaction, a wrong field count, a list where a string belongs or the
/// reverse, a yParity other than 0 or 1, a chain id of 0 or above 2^64 - 1, truncated or non-canonical RLP, bytes after
/// the list) are <see cref="FormatException"/>, and nothing else: any byte string ends in a result or in that exception.</para>
/// <para>A raw transaction is attacker-controlled, so the RLP decoder has a nesting limit: lists nested more than 16
/// deep (a type-2 transaction nests 4: the payload, the access list, an entry, its storage keys) are a
/// <see cref="FormatException"/> before they can exhaust the stack, which would end the whole process.</para>
/// </remarks>
public static class Eip1559Signer
{
    /// <summary>0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList]).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="transaction"/> is null.</exception>
    /// <exception cref="ArgumentException">maxPriorityFeePerGas &gt; maxFeePerGas, a field has the wrong size (to and
    /// access-list addresses are 20 bytes, storage keys 32), a quantity is negative, or chainId is 0.</exception>
    public static byte[] SigningPayload(Eip1559Transaction transaction) => throw new NotImplementedException();

    /// <summary>keccak256 of <see cref="SigningPayload"/>.</summary>
    /// <exception cref="ArgumentException">As <see cref="SigningPayload"/>.</exception>
    public static byte[] SigningHash(Eip1559Transaction transaction) => throw new NotImplementedException();

    /// <summary>The raw signed transaction: 0x02 || rlp([..nine fields, yParity, r, s]).</summary>
    /// <exception cref="ArgumentException">As <see cref="SigningPayload"/>, or the key is not 32 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 or not below the curve order.</exception>
    public static byte[] Sign(Eip1559Transaction transaction, ReadOnlySpan<byte> privateKey) => throw new NotImplementedException();

    /// <summary>The transaction hash: keccak256 of the raw signed bytes.</summary>
    public static byte[] TransactionHash(ReadOnlySpan<byte> raw) => throw new NotImplementedException();

    /// <summary>Decodes a raw signed type-2 transaction.</summary>
    /// <exception cref="FormatException">See the remarks.</exception>
    public static SignedEip1559Transaction Decode(ReadOnlySpan<byte> raw) => throw new NotImplementedException();

    /// <summary>The EIP-55 address that signed <paramref name="raw"/>.</summary>
    /// <exception cref="FormatException">As <see cref="Decode"/>.</exception>
    /// <exception cref="ArgumentException">r or s is zero, r is not below n, s is above n / 2 (EIP-2), or the signature
    /// recovers no public key.</exception>
    public static string RecoverSender(ReadOnlySpan<byte> raw) => throw new NotImplementedException();
}
