using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Koans.Crypto.StreamEncryption;

/// <summary>Kata crypto.stream-encryption: the age payload format (STREAM over ChaCha20-Poly1305), reference solution.</summary>
public static class AgePayload
{
    public const int FileKeySize = 16;
    public const int StreamNonceSize = 16;
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;

    private const int EncryptedChunkSize = ChunkSize + TagSize;
    private const int ChunkNonceSize = 12;
    private static readonly AeadAlgorithm ChaCha20Poly1305 = AeadAlgorithm.ChaCha20Poly1305;

    public static void Encrypt(ReadOnlySpan<byte> fileKey, Stream plaintext, Stream payload)
    {
        Span<byte> streamNonce = stackalloc byte[StreamNonceSize];
        RandomNumberGenerator.Fill(streamNonce);
        Encrypt(fileKey, plaintext, payload, streamNonce);
    }

    public static void Encrypt(ReadOnlySpan<byte> fileKey, Stream plaintext, Stream payload, ReadOnlySpan<byte> streamNonce)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(streamNonce.Length, StreamNonceSize, nameof(streamNonce));
        using var key = DerivePayloadKey(fileKey, streamNonce);
        payload.Write(streamNonce);

        // Two plaintext buffers: the chunk in hand is final only if the stream has nothing after it, and the only way
        // to know is to try to read the next one first. Memory: three chunk-sized buffers, whatever the stream's length.
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var sealedChunk = new byte[EncryptedChunkSize];
        Span<byte> chunkNonce = stackalloc byte[ChunkNonceSize];

        // ReadAtLeast loops over short reads: a pipe or a socket may return a few bytes at a time, and a chunk
        // boundary must not depend on how the source happened to deliver them. It returns less than asked only at the
        // end of the stream, after which the read-ahead simply returns 0.
        var currentLength = plaintext.ReadAtLeast(current, ChunkSize, throwOnEndOfStream: false);
        for (ulong counter = 0; ; counter++)
        {
            var nextLength = plaintext.ReadAtLeast(next, ChunkSize, throwOnEndOfStream: false);
            var isFinal = nextLength == 0;

            WriteChunkNonce(chunkNonce, counter, isFinal);
            var output = sealedChunk.AsSpan(0, currentLength + TagSize);
            ChaCha20Poly1305.Encrypt(key, chunkNonce, associatedData: default, current.AsSpan(0, currentLength), output);
            payload.Write(output);

            if (isFinal)
            {
                return;
            }

            (current, next) = (next, current);
            currentLength = nextLength;
        }
    }

    public static void Decrypt(ReadOnlySpan<byte> fileKey, Stream payload, Stream plaintext)
    {
        // A payload shorter than its nonce has reached its end, so it has no chunk either: the first check in the loop
        // refuses it.
        Span<byte> streamNonce = stackalloc byte[StreamNonceSize];
        payload.ReadAtLeast(streamNonce, StreamNonceSize, throwOnEndOfStream: false);

        using var key = DerivePayloadKey(fileKey, streamNonce);
        var current = new byte[EncryptedChunkSize];
        var next = new byte[EncryptedChunkSize];
        var opened = new byte[ChunkSize];
        Span<byte> chunkNonce = stackalloc byte[ChunkNonceSize];

        var currentLength = payload.ReadAtLeast(current, EncryptedChunkSize, throwOnEndOfStream: false);
        for (ulong counter = 0; ; counter++)
        {
            // A chunk is final exactly when nothing follows it: a short one (the stream ended inside it), or a full one
            // at the very end (age allows a full final chunk).
            var nextLength = payload.ReadAtLeast(next, EncryptedChunkSize, throwOnEndOfStream: false);
            var isFinal = nextLength == 0;

            // Fewer bytes than a tag: no chunks at all (or not even a whole stream nonce), or a torn chunk. The empty final chunk is legal only as the
            // only chunk (an empty input); after other chunks it would let an attacker append one at a chunk boundary.
            if (currentLength < TagSize || (isFinal && currentLength == TagSize && counter > 0))
            {
                throw Refused();
            }

            WriteChunkNonce(chunkNonce, counter, isFinal);
            var plaintextChunk = opened.AsSpan(0, currentLength - TagSize);
            // The counter and the final flag are in the nonce, so a chunk moved, repeated, dropped, or a non-final
            // chunk presented as the last one (truncation), fails here like any changed byte.
            if (!ChaCha20Poly1305.Decrypt(key, chunkNonce, associatedData: default, current.AsSpan(0, currentLength), plaintextChunk))
            {
                throw Refused();
            }

            plaintext.Write(plaintextChunk);
            if (isFinal)
            {
                return;
            }

            (current, next) = (next, current);
            currentLength = nextLength;
        }
    }

    private static Key DerivePayloadKey(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> streamNonce)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(fileKey.Length, FileKeySize, nameof(fileKey));
        // The payload key depends on the stream nonce too, so chunks of two streams under one file key never share a
        // (key, nonce) pair, and a chunk spliced in from another stream fails authentication.
        Span<byte> payloadKey = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, payloadKey, salt: streamNonce, info: "payload"u8);
            return Key.Import(ChaCha20Poly1305, payloadKey, KeyBlobFormat.RawSymmetricKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payloadKey);
        }
    }

    private static void WriteChunkNonce(Span<byte> chunkNonce, ulong counter, bool isFinal)
    {
        // 11-byte big-endian counter. Its top 3 bytes stay as stackalloc left them, zero: 2^64 chunks of 64 KiB is
        // beyond any real stream.
        BinaryPrimitives.WriteUInt64BigEndian(chunkNonce[3..11], counter);
        chunkNonce[11] = isFinal ? (byte)1 : (byte)0;
    }

    // One exception, one message, whatever went wrong: which check failed is nobody's business but the log's.
    private static CryptographicException Refused() => new("The payload is not authentic or not complete.");
}
