using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Koans.Testing;

namespace Koans.Crypto.StreamEncryption;

public class AgePayloadTests
{
    private const int EncryptedChunkSize = AgePayload.ChunkSize + AgePayload.TagSize;

    public static TheoryData<string> SuccessVectors =>
    [
        "stream_empty_payload",        // one empty final chunk: the only time a chunk may be empty
        "stream_last_chunk_full",      // exactly 64 KiB: one full chunk, and it is the final one
        "stream_last_chunk_full_second",
        "stream_two_chunks",
        "stream_three_chunks",
    ];

    // The third value is how many plaintext bytes age itself releases before it fails: ExpectPayloadFailure() (0) or
    // ExpectPartialPayload(n) in the vector's generator, C2SP/CCTV age/internal/tests/<name>.go.
    public static TheoryData<string, string, int> FailureVectors => new()
    {
        { "stream_no_nonce", "the payload ends before its 16-byte stream nonce", 0 },
        { "stream_short_nonce", "the stream nonce is 12 bytes, not 16", 0 },
        { "stream_no_chunks", "a stream nonce and no chunk at all", 0 },
        { "stream_short_chunk", "the only chunk is 12 bytes, shorter than a Poly1305 tag", 0 },
        { "stream_short_second_chunk", "the second chunk is shorter than a tag", AgePayload.ChunkSize },
        { "stream_missing_tag", "the final chunk's tag was cut off", 0 },
        { "stream_bad_tag", "one bit of the only chunk's tag is flipped", 0 },
        { "stream_bad_tag_second_chunk", "one bit of the second chunk's tag is flipped", AgePayload.ChunkSize },
        { "stream_bad_tag_second_chunk_full", "one bit of the full second chunk's tag is flipped", AgePayload.ChunkSize },
        { "stream_no_final", "the only chunk is not marked final: the stream was cut off", 0 },
        { "stream_no_final_full", "one full chunk, not marked final: the stream was cut off at a chunk boundary", AgePayload.ChunkSize },
        { "stream_no_final_two_chunks", "two chunks, neither marked final", AgePayload.ChunkSize },
        { "stream_no_final_two_chunks_full", "two full chunks, neither marked final: cut off at a chunk boundary", 2 * AgePayload.ChunkSize },
        { "stream_two_final_chunks", "a chunk follows a final chunk", AgePayload.ChunkSize },
        { "stream_two_final_chunks_full", "a full chunk follows a full final chunk", AgePayload.ChunkSize },
        { "stream_two_final_chunks_second", "a chunk follows the final second chunk", 2 * AgePayload.ChunkSize },
        { "stream_two_final_chunks_short", "two one-byte chunks, both marked final", 0 },
        { "stream_last_chunk_empty", "an empty final chunk after a full chunk: only an empty input has an empty final chunk", AgePayload.ChunkSize },
        { "stream_trailing_garbage_short", "12 stray bytes after the final chunk", AgePayload.ChunkSize },
        { "stream_trailing_garbage_long", "20 stray bytes after the final chunk", AgePayload.ChunkSize },
    };

    public enum Tampering
    {
        SwapFirstTwoChunks,
        DropSecondChunk,
        DuplicateFirstChunk,
        DropFinalChunk,
    }

    [Theory]
    [MemberData(nameof(SuccessVectors))]
    public void Decrypt_opens_the_age_test_kit_vectors(string name)
    {
        var vector = TestkitVector.Load(name);
        var plaintext = new MemoryStream();

        AgePayload.Decrypt(vector.FileKey, new MemoryStream(vector.Payload), plaintext);

        Convert.ToHexStringLower(SHA256.HashData(plaintext.ToArray())).Should().Be(vector.PayloadSha256,
            $"the age test kit's {name} decrypts to the plaintext whose SHA-256 the vector publishes; a different " +
            "result means a different payload key (HKDF-SHA-256, salt = the stream nonce, info \"payload\") or chunk " +
            "nonce (11-byte big-endian counter, then 0x01 only on the final chunk)");
    }

    [Theory]
    [MemberData(nameof(SuccessVectors))]
    public void Encrypt_with_the_vectors_stream_nonce_reproduces_the_age_test_kit_payload(string name)
    {
        var vector = TestkitVector.Load(name);
        var plaintext = new MemoryStream();
        AgePayload.Decrypt(vector.FileKey, new MemoryStream(vector.Payload), plaintext);
        Convert.ToHexStringLower(SHA256.HashData(plaintext.ToArray())).Should().Be(vector.PayloadSha256,
            "this test first recovers the vector's plaintext (pinned by its published SHA-256) with your Decrypt");
        var payload = new MemoryStream();

        AgePayload.Encrypt(vector.FileKey, new MemoryStream(plaintext.ToArray()), payload, vector.Payload.AsSpan(0, 16));

        payload.ToArray().Should().Equal(vector.Payload,
            $"sealing {plaintext.Length} bytes under {name}'s stream nonce must give the test kit's payload byte for " +
            "byte: the same chunking, counters, final flag, and no extra empty chunk at a 64 KiB boundary");
    }

    [Fact]
    public void Encrypt_of_the_text_age_reproduces_the_test_kit_payload_before_its_tag_was_flipped()
    {
        // stream_bad_tag is f.Payload("age") with one bit of the last byte flipped (age/internal/tests/stream_bad_tag.go).
        var vector = TestkitVector.Load("stream_bad_tag");
        var expected = (byte[])vector.Payload.Clone();
        expected[^1] ^= 0b0010_0000;
        var payload = new MemoryStream();

        AgePayload.Encrypt(vector.FileKey, new MemoryStream("age"u8.ToArray()), payload, vector.Payload.AsSpan(0, 16));

        payload.ToArray().Should().Equal(expected,
            "the test kit sealed the three bytes \"age\" as one final chunk: stream nonce || 3-byte ciphertext || tag");
    }

    [Theory]
    [MemberData(nameof(FailureVectors))]
    public void Decrypt_refuses_the_age_test_kit_failure_vectors(string name, string whatIsWrong, int bytesAgeReleases)
    {
        var vector = TestkitVector.Load(name);
        var plaintext = new MemoryStream();

        var act = () => AgePayload.Decrypt(vector.FileKey, new MemoryStream(vector.Payload), plaintext);

        act.Should().Throw<CryptographicException>($"{name}: {whatIsWrong}");
        plaintext.Length.Should().BeLessThanOrEqualTo(bytesAgeReleases,
            $"{name}: before failing, Decrypt may release only whole chunks whose tags it verified");
        (plaintext.Length % AgePayload.ChunkSize).Should().Be(0,
            $"{name}: every chunk before the failure is a full one, so anything released must be whole verified chunks");
        if (plaintext.Length == bytesAgeReleases && bytesAgeReleases > 0)
        {
            Convert.ToHexStringLower(SHA256.HashData(plaintext.ToArray())).Should().Be(vector.PayloadSha256,
                $"{name}: the {bytesAgeReleases} bytes released are the verified chunks' plaintext, whose SHA-256 the vector publishes");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(AgePayload.ChunkSize - 1)]
    [InlineData(AgePayload.ChunkSize)]
    [InlineData(AgePayload.ChunkSize + 1)]
    [InlineData(2 * AgePayload.ChunkSize)]
    [InlineData(200_000)]
    public void Encrypt_then_Decrypt_round_trips_every_length_around_chunk_boundaries(int length)
    {
        var key = RandomNumberGenerator.GetBytes(AgePayload.FileKeySize);
        var original = RandomNumberGenerator.GetBytes(length);
        var payload = new MemoryStream();

        AgePayload.Encrypt(key, new MemoryStream(original), payload);

        var chunks = Math.Max(1, (length + AgePayload.ChunkSize - 1) / AgePayload.ChunkSize);
        payload.Length.Should().Be(16 + length + chunks * AgePayload.TagSize,
            $"{length} bytes are {chunks} chunk(s), each with a 16-byte tag, after the 16-byte stream nonce; an input " +
            "that ends on a chunk boundary gets no extra empty chunk, and an empty input gets exactly one");
        var plaintext = new MemoryStream();
        AgePayload.Decrypt(key, new MemoryStream(payload.ToArray()), plaintext);
        plaintext.ToArray().Should().Equal(original);
    }

    [Theory]
    [InlineData(Tampering.SwapFirstTwoChunks)]
    [InlineData(Tampering.DropSecondChunk)]
    [InlineData(Tampering.DuplicateFirstChunk)]
    [InlineData(Tampering.DropFinalChunk)]
    public void Decrypt_refuses_reordered_dropped_duplicated_and_truncated_chunks(Tampering tampering)
    {
        var key = RandomNumberGenerator.GetBytes(AgePayload.FileKeySize);
        var payload = EncryptToArray(key, RandomNumberGenerator.GetBytes(3 * AgePayload.ChunkSize + 100));
        var nonce = payload[..16];
        var chunks = Chunks(payload);
        chunks.Should().HaveCount(4, "3 full chunks and a final one of 100 bytes");

        List<byte[]> rearranged = tampering switch
        {
            Tampering.SwapFirstTwoChunks => [chunks[1], chunks[0], chunks[2], chunks[3]],
            Tampering.DropSecondChunk => [chunks[0], chunks[2], chunks[3]],
            Tampering.DuplicateFirstChunk => [chunks[0], chunks[0], chunks[1], chunks[2], chunks[3]],
            _ => [chunks[0], chunks[1], chunks[2]],
        };
        var tampered = nonce.Concat(rearranged.SelectMany(c => c)).ToArray();

        var act = () => AgePayload.Decrypt(key, new MemoryStream(tampered), Stream.Null);

        act.Should().Throw<CryptographicException>(
            $"{tampering}: every chunk is authentic on its own, so only the counter and final flag bound into each " +
            "chunk's nonce can tell that the sequence is not the one that was sealed");
    }

    [Fact]
    public void Decrypt_refuses_a_chunk_spliced_in_from_another_stream_under_the_same_file_key()
    {
        var key = RandomNumberGenerator.GetBytes(AgePayload.FileKeySize);
        var first = EncryptToArray(key, new byte[2 * AgePayload.ChunkSize + 10]);
        var second = EncryptToArray(key, new byte[2 * AgePayload.ChunkSize + 10]);
        var spliced = (byte[])first.Clone();
        second.AsSpan(16 + EncryptedChunkSize, EncryptedChunkSize).CopyTo(spliced.AsSpan(16 + EncryptedChunkSize));

        var act = () => AgePayload.Decrypt(key, new MemoryStream(spliced), Stream.Null);

        act.Should().Throw<CryptographicException>(
            "chunk 1 of another stream sealed under the same file key sits at the same position with the same " +
            "counter; only a payload key derived from each stream's own nonce tells them apart");
    }

    [Fact]
    public void Encrypt_draws_a_fresh_stream_nonce_for_every_stream()
    {
        var key = RandomNumberGenerator.GetBytes(AgePayload.FileKeySize);

        var first = EncryptToArray(key, "same input"u8.ToArray());
        var second = EncryptToArray(key, "same input"u8.ToArray());

        first[..16].Should().NotEqual(second[..16],
            "a stream nonce used twice under one file key repeats the payload key and every chunk nonce: the XOR of " +
            "the two plaintexts leaks and Poly1305 forgeries become possible");
        first[16..].Should().NotEqual(second[16..]);
    }

    [Fact]
    public void Decrypt_refuses_the_wrong_file_key()
    {
        var payload = EncryptToArray(RandomNumberGenerator.GetBytes(AgePayload.FileKeySize), "secret"u8.ToArray());

        var act = () => AgePayload.Decrypt(RandomNumberGenerator.GetBytes(AgePayload.FileKeySize),
            new MemoryStream(payload), Stream.Null);

        act.Should().Throw<CryptographicException>("another file key derives another payload key");
    }

    [Fact]
    public void Encrypt_and_Decrypt_reject_a_file_key_that_is_not_16_bytes()
    {
        var encrypt = () => AgePayload.Encrypt(new byte[32], new MemoryStream([1, 2, 3]), Stream.Null);
        var decrypt = () => AgePayload.Decrypt(new byte[15], new MemoryStream(new byte[64]), Stream.Null);

        encrypt.Should().Throw<ArgumentException>("age's file key is 128 bits: a 256-bit key is a caller's mistake, not a stronger key");
        decrypt.Should().Throw<ArgumentException>("a 15-byte file key is a caller's mistake, reported as such");
    }

    [Fact]
    public void Encrypt_rejects_a_stream_nonce_that_is_not_16_bytes()
    {
        var key = RandomNumberGenerator.GetBytes(AgePayload.FileKeySize);

        var act = () => AgePayload.Encrypt(key, new MemoryStream([1, 2, 3]), Stream.Null, new byte[12]);

        act.Should().Throw<ArgumentException>(
            "the payload starts with exactly 16 bytes of stream nonce: a decrypter would read 4 bytes of chunk as nonce");
    }

    [Fact]
    public void Encrypt_and_Decrypt_give_the_same_bytes_when_the_source_returns_a_few_bytes_per_read()
    {
        var vector = TestkitVector.Load("stream_three_chunks");
        var plaintext = new MemoryStream();
        AgePayload.Decrypt(vector.FileKey, new TricklingStream(vector.Payload), plaintext);
        Convert.ToHexStringLower(SHA256.HashData(plaintext.ToArray())).Should().Be(vector.PayloadSha256,
            "a Stream may return fewer bytes than asked for (a pipe, a socket, a decompressor): a chunk is complete " +
            "only when the source has delivered all of it or reached its end");
        var payload = new MemoryStream();

        AgePayload.Encrypt(vector.FileKey, new TricklingStream(plaintext.ToArray()), payload, vector.Payload.AsSpan(0, 16));

        payload.ToArray().Should().Equal(vector.Payload,
            "chunk boundaries are every 64 KiB of plaintext, never wherever a Read call happened to stop");
    }

    [Fact]
    public void Encrypt_and_Decrypt_allocate_the_same_small_amount_whatever_the_stream_length()
    {
        const long budget = 5 * AgePayload.ChunkSize;
        var key = RandomNumberGenerator.GetBytes(AgePayload.FileKeySize);
        var small = new byte[1 << 20];
        var large = new byte[16 << 20];
        var smallPayload = EncryptToArray(key, small);
        var largePayload = EncryptToArray(key, large);

        var encryptSmall = Allocations.Measure(() => AgePayload.Encrypt(key, new MemoryStream(small, writable: false), Stream.Null));
        var encryptLarge = Allocations.Measure(() => AgePayload.Encrypt(key, new MemoryStream(large, writable: false), Stream.Null));
        var decryptSmall = Allocations.Measure(() => AgePayload.Decrypt(key, new MemoryStream(smallPayload, writable: false), Stream.Null));
        var decryptLarge = Allocations.Measure(() => AgePayload.Decrypt(key, new MemoryStream(largePayload, writable: false), Stream.Null));
        var wholeStreamInMemory = Allocations.Measure(() => new MemoryStream(large, writable: false).CopyTo(new MemoryStream()));

        wholeStreamInMemory.Should().BeGreaterThan(budget, "this probe sees a copy of the whole 16 MiB stream, so the budget bites");
        encryptLarge.Should().BeLessThan(budget,
            $"Encrypt allocated {encryptLarge:N0} bytes for 16 MiB: hold a few chunk-sized buffers and reuse them, " +
            "never the whole stream and never a new array per chunk");
        decryptLarge.Should().BeLessThan(budget,
            $"Decrypt allocated {decryptLarge:N0} bytes for 16 MiB: hold a few chunk-sized buffers and reuse them");
        (encryptLarge - encryptSmall).Should().BeLessThan(16 * 1024,
            $"Encrypt allocated {encryptSmall:N0} bytes for 1 MiB and {encryptLarge:N0} for 16 MiB: memory must not grow with the stream");
        (decryptLarge - decryptSmall).Should().BeLessThan(16 * 1024,
            $"Decrypt allocated {decryptSmall:N0} bytes for 1 MiB and {decryptLarge:N0} for 16 MiB: memory must not grow with the stream");
    }

    private static byte[] EncryptToArray(byte[] key, byte[] plaintext)
    {
        var payload = new MemoryStream();
        AgePayload.Encrypt(key, new MemoryStream(plaintext), payload);
        return payload.ToArray();
    }

    private static List<byte[]> Chunks(byte[] payload) =>
        payload[16..].Chunk(EncryptedChunkSize).ToList();

    /// <summary>One file of the age test kit (C2SP/CCTV age/testdata, format in its age/README.md): the textual
    /// header, a blank line, then the age file, zlib-compressed when the header says so. The age file is its own
    /// header, ending with the line "--- mac", then the payload this kata reads.</summary>
    private sealed record TestkitVector(byte[] FileKey, string PayloadSha256, byte[] Payload)
    {
        public static TestkitVector Load(string name)
        {
            var file = Convert.FromBase64String(AgeTestkitFiles.Base64[name]);
            var blankLine = file.AsSpan().IndexOf("\n\n"u8);
            var fields = Encoding.ASCII.GetString(file, 0, blankLine).Split('\n')
                .Select(line => line.Split(": ", 2))
                .GroupBy(pair => pair[0])
                .ToDictionary(group => group.Key, group => group.First()[1]);
            var ageFile = file[(blankLine + 2)..];
            if (fields.GetValueOrDefault("compressed") == "zlib")
            {
                using var inflated = new MemoryStream();
                using (var zlib = new ZLibStream(new MemoryStream(ageFile), CompressionMode.Decompress))
                {
                    zlib.CopyTo(inflated);
                }

                ageFile = inflated.ToArray();
            }

            var macLine = ageFile.AsSpan().IndexOf("\n--- "u8);
            var payloadStart = macLine + 1 + ageFile.AsSpan(macLine + 1).IndexOf((byte)'\n') + 1;
            return new TestkitVector(Convert.FromHexString(fields["file key"]), fields.GetValueOrDefault("payload", ""),
                ageFile[payloadStart..]);
        }
    }

    /// <summary>A read-only stream that returns at most 1,000 bytes per read, as pipes and sockets do.</summary>
    private sealed class TricklingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1000)]);
    }
}
