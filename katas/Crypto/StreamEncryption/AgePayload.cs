namespace Koans.Crypto.StreamEncryption;

/// <summary>
/// Kata crypto.stream-encryption: encrypt a stream of any length in chunks, so that memory stays bounded and no chunk
/// can be reordered, dropped, duplicated, spliced in from another stream or cut off at the end without decryption
/// noticing. The format is exactly the payload of an age file (the age specification, section "Payload",
/// https://age-encryption.org/v1), a STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online
/// Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015, https://eprint.iacr.org/2015/189).
/// </summary>
/// <remarks>
/// <para>One AEAD call over a whole 10 GB file needs the whole file in memory, and a decrypter would have to hold every
/// byte back until the single tag at the end is checked. Chunking fixes both, and creates new attacks: each chunk is a
/// valid AEAD message on its own, so an attacker can reorder chunks, repeat one, drop one, or cut the stream after any
/// chunk. The format binds each chunk's position, and whether it is the last one, into that chunk's nonce.</para>
/// <para>The payload, as the age specification defines it:</para>
/// <code>
/// payload     = stream nonce (16 random bytes, fresh for every stream) || chunk 0 || chunk 1 || ... || final chunk
/// payload key = HKDF-SHA-256(ikm = file key, salt = stream nonce, info = "payload"), 32 bytes
/// chunk i     = ChaCha20-Poly1305(key = payload key, nonce = chunk nonce i, associated data = empty,
///                                 plaintext = the i-th 64 KiB of the input): ciphertext || 16-byte tag
/// chunk nonce = 11-byte big-endian chunk counter i (from 0) || 0x01 for the final chunk, 0x00 for every other
/// </code>
/// <para>Every chunk but the final one holds exactly <see cref="ChunkSize"/> bytes of plaintext. The final chunk holds
/// 1 to <see cref="ChunkSize"/> bytes; it is empty only when the whole input is empty (then it is the only chunk). So
/// an input of exactly 64 KiB is one full final chunk, never a full chunk followed by an empty one.</para>
/// <para>Use a vetted ChaCha20-Poly1305 (NSec, as in crypto.aead) and a vetted HKDF; never a hand-made cipher or MAC.
/// Memory: both directions hold at most a couple of chunks at a time, whatever the stream's length; a source
/// <see cref="Stream"/> may return fewer bytes per read than asked for.</para>
/// </remarks>
public static class AgePayload
{
    /// <summary>The file key is 128 bits, as in age.</summary>
    public const int FileKeySize = 16;

    /// <summary>The stream nonce at the start of the payload: 16 bytes.</summary>
    public const int StreamNonceSize = 16;

    /// <summary>Plaintext bytes per chunk: 64 KiB.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>The Poly1305 tag after each chunk's ciphertext: 16 bytes.</summary>
    public const int TagSize = 16;

    /// <summary>
    /// Reads <paramref name="plaintext"/> to its end and writes its payload to <paramref name="payload"/>, under a
    /// fresh random stream nonce from a cryptographic random number generator.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="fileKey"/> is not <see cref="FileKeySize"/> bytes.</exception>
    public static void Encrypt(ReadOnlySpan<byte> fileKey, Stream plaintext, Stream payload) =>
        throw new NotImplementedException();

    /// <summary>
    /// As <see cref="Encrypt(ReadOnlySpan{byte}, Stream, Stream)"/>, with the stream nonce given: for known-answer
    /// tests only. A stream nonce used twice under one file key gives two streams the same payload key and the same
    /// chunk nonces, which breaks ChaCha20-Poly1305's confidentiality and authenticity; applications call the other
    /// overload.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="fileKey"/> is not <see cref="FileKeySize"/> bytes, or
    /// <paramref name="streamNonce"/> is not <see cref="StreamNonceSize"/> bytes.</exception>
    public static void Encrypt(ReadOnlySpan<byte> fileKey, Stream plaintext, Stream payload,
        ReadOnlySpan<byte> streamNonce) => throw new NotImplementedException();

    /// <summary>
    /// Reads <paramref name="payload"/> to its end and writes the plaintext to <paramref name="plaintext"/>, one
    /// verified chunk at a time: no byte of a chunk is written before that chunk's tag is verified.
    /// </summary>
    /// <remarks>
    /// The plaintext of the chunks before a failure has already been written when the exception is thrown (that is
    /// what streaming means): the caller treats the whole output as garbage on any exception, for example by writing
    /// to a temporary file and renaming it only on success.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="fileKey"/> is not <see cref="FileKeySize"/> bytes.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The payload is not one this file key
    /// sealed, exactly as sealed: a missing or short stream nonce, no chunks, a chunk too short to hold a tag, any
    /// changed byte, chunks reordered, repeated, dropped or taken from another stream, a stream that ends without a
    /// final chunk (truncation), bytes after the final chunk, or an empty final chunk after other chunks. Always this
    /// one exception type.</exception>
    public static void Decrypt(ReadOnlySpan<byte> fileKey, Stream payload, Stream plaintext) =>
        throw new NotImplementedException();
}
