using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Koans.Testing;

namespace Koans.Performance.ArrayPool;

public class PooledStreamsTests
{
    private static readonly byte[] Megabyte = MakeData(1 << 20);

    [Fact]
    public void CountByte_counts_across_short_reads_and_chunk_borders()
    {
        var data = new byte[(3 * PooledStreams.ChunkSize) + 5];
        foreach (var i in new[] { 0, PooledStreams.ChunkSize - 1, PooledStreams.ChunkSize, (2 * PooledStreams.ChunkSize) + 1, data.Length - 1 })
        {
            data[i] = 0x5A;
        }

        var pool = new CountingPool();
        PooledStreams.CountByte(new TrickleStream(data), 0x5A, pool).Should().Be(5,
            "Read may return fewer bytes than asked for: count what it returned, and keep reading until it returns 0");
        PooledStreams.CountByte(new MemoryStream(Megabyte), 0xFF, pool).Should().Be(Megabyte.Count(b => b == 0xFF));
        pool.ShouldBeBalanced();
        pool.Rents.Should().Be(2, "one buffer per call, reused for every chunk");
    }

    [Fact]
    public void CountByte_returns_the_buffer_when_the_stream_fails()
    {
        var pool = new CountingPool();
        var act = () => PooledStreams.CountByte(new FailingStream(after: 40_000), 1, pool);
        act.Should().Throw<IOException>("the stream's failure is the caller's to see");
        pool.ShouldBeBalanced("a buffer lost on an exception path is a leak the pool never recovers");
    }

    [Fact]
    public void CountByte_allocates_nothing_per_call()
    {
        var stream = new MemoryStream(Megabyte);
        Allocations.Measure(() => { stream.Position = 0; return NaivePooledStreams.CountByte(stream, 7); }).Should().BeGreaterThan(PooledStreams.ChunkSize,
            "the budget must bite: the naive version allocates a new 16 KB buffer on every call");

        var pool = new CountingPool();
        Allocations.Measure(() => { stream.Position = 0; return PooledStreams.CountByte(stream, 7, pool); }).Should().Be(0,
            "after the first call the pool hands the same buffer back: nothing new is allocated");
        pool.ShouldBeBalanced();
    }

    [Fact]
    public async Task CopyUpperAsciiAsync_uppercases_ASCII_letters_only()
    {
        var pool = new CountingPool();
        var text = "Hello, Wörld! ÿ straße 123 az{}AZ`@"u8.ToArray();
        var destination = new MemoryStream();
        var copied = await PooledStreams.CopyUpperAsciiAsync(new TrickleStream(text), destination, pool, TestContext.Current.CancellationToken);

        copied.Should().Be(text.Length);
        Encoding.UTF8.GetString(destination.ToArray()).Should().Be("HELLO, WöRLD! ÿ STRAßE 123 AZ{}AZ`@",
            "only a-z change; the bytes of ö, ÿ and ß (0xC3 0xB6, 0xC3 0xBF, 0xC3 0x9F) are not letters, and { and ` are next to the letters in ASCII");
        pool.ShouldBeBalanced();
    }

    [Fact]
    public async Task CopyUpperAsciiAsync_copies_only_what_was_read_from_a_longer_buffer()
    {
        // The counting pool hands out arrays longer than asked for, with junk after the requested length.
        var pool = new CountingPool(extraLength: 1000);
        var destination = new MemoryStream();
        await PooledStreams.CopyUpperAsciiAsync(new MemoryStream(Megabyte), destination, pool, TestContext.Current.CancellationToken);
        destination.Length.Should().Be(Megabyte.Length, "write what Read returned, not the whole rented array");
        destination.ToArray().Should().Equal(Megabyte.Select(b => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b));
        pool.ShouldBeBalanced();
    }

    [Fact]
    public async Task CopyUpperAsciiAsync_returns_the_buffer_when_cancelled_or_when_the_destination_fails()
    {
        var pool = new CountingPool();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var act = () => PooledStreams.CopyUpperAsciiAsync(new MemoryStream(Megabyte), new MemoryStream(), pool, cancelled.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();

        var fail = () => PooledStreams.CopyUpperAsciiAsync(new MemoryStream(Megabyte), new FailingStream(after: 0), pool, TestContext.Current.CancellationToken);
        await fail.Should().ThrowAsync<IOException>();
        pool.ShouldBeBalanced("cancellation and a failing destination are the paths where buffers get lost");
    }

    [Fact]
    public void HashRecord_matches_the_FIPS_180_2_vector_and_ignores_the_rest_of_the_rented_array()
    {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        var pool = new CountingPool(extraLength: 61);
        PooledStreams.HashRecord(new MemoryStream(Record("abc"u8)), pool).Should().Be(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "hash the 3 payload bytes only: the rented array is longer and holds junk after them");
        pool.ShouldBeBalanced();
    }

    [Fact]
    public void HashRecord_clears_the_payload_before_returning_it()
    {
        var pool = new CountingPool();
        PooledStreams.HashRecord(new MemoryStream(Record("secret-token"u8)), pool);
        pool.ShouldBeBalanced();
        pool.ReturnedUncleared.Should().Be(0, "the payload may be secret: return the buffer with clearArray: true, or the next renter reads it");
    }

    [Fact]
    public void HashRecord_rejects_out_of_range_lengths_before_renting()
    {
        var pool = new CountingPool();
        foreach (var length in new[] { PooledStreams.MaxRecordLength + 1, -1, int.MaxValue })
        {
            var header = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(header, length);
            var act = () => PooledStreams.HashRecord(new MemoryStream(header), pool);
            act.Should().Throw<InvalidDataException>($"a length of {length} is out of range");
        }

        pool.Rents.Should().Be(0, "an attacker-chosen length must be checked before anything is borrowed");
    }

    [Fact]
    public void HashRecord_accepts_the_empty_record_and_the_longest_allowed_one()
    {
        var pool = new CountingPool();

        // NIST CAVP SHAVS, SHA256ShortMsg.rsp, "Len = 0": the digest of the empty message.
        PooledStreams.HashRecord(new MemoryStream(Record([])), pool).Should().Be(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "a length of 0 is in range: an empty record");
        // python3 -c "import hashlib; print(hashlib.sha256(b'\\0' * 1048576).hexdigest())"
        PooledStreams.HashRecord(new MemoryStream(Record(new byte[PooledStreams.MaxRecordLength])), pool).Should().Be(
            "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58",
            "MaxRecordLength itself is allowed; only longer records are refused");
        pool.ShouldBeBalanced();
    }

    [Fact]
    public async Task Null_streams_and_pools_are_refused_by_name_before_anything_is_rented()
    {
        var pool = new CountingPool();
        var stream = new MemoryStream(Record("abc"u8));

        ((Action)(() => PooledStreams.CountByte(null!, 0, pool))).Should().Throw<ArgumentNullException>().WithParameterName("source");
        ((Action)(() => PooledStreams.CountByte(stream, 0, null!))).Should().Throw<ArgumentNullException>().WithParameterName("pool");
        ((Action)(() => PooledStreams.HashRecord(null!, pool))).Should().Throw<ArgumentNullException>().WithParameterName("source");
        ((Action)(() => PooledStreams.HashRecord(stream, null!))).Should().Throw<ArgumentNullException>().WithParameterName("pool");
        await ((Func<Task>)(() => PooledStreams.CopyUpperAsciiAsync(null!, Stream.Null, pool, TestContext.Current.CancellationToken)))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("source");
        await ((Func<Task>)(() => PooledStreams.CopyUpperAsciiAsync(stream, null!, pool, TestContext.Current.CancellationToken)))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("destination");
        await ((Func<Task>)(() => PooledStreams.CopyUpperAsciiAsync(stream, Stream.Null, null!, TestContext.Current.CancellationToken)))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("pool");
        pool.Rents.Should().Be(0, "a call refused for its arguments borrows nothing");
    }

    [Fact]
    public void HashRecord_returns_the_buffer_when_the_payload_is_truncated()
    {
        var pool = new CountingPool();
        var truncated = Record(new byte[100])[..50];
        var act = () => PooledStreams.HashRecord(new MemoryStream(truncated), pool);
        act.Should().Throw<EndOfStreamException>("the length promised 100 bytes and the stream ended after 46");
        FluentActions.Invoking(() => PooledStreams.HashRecord(new MemoryStream([0, 0]), pool))
            .Should().Throw<EndOfStreamException>("the stream ended inside the length");
        pool.ShouldBeBalanced();
    }

    private static byte[] Record(ReadOnlySpan<byte> payload)
    {
        var record = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(record, payload.Length);
        payload.CopyTo(record.AsSpan(4));
        return record;
    }

    private static byte[] MakeData(int length)
    {
        var data = new byte[length];
        new Random(1234).NextBytes(data);
        return data;
    }

    /// <summary>
    /// An ArrayPool that counts: rents, returns, double returns, returns of arrays it never handed out, and returns
    /// without clearing. Its arrays are longer than asked for, filled with junk past the requested length.
    /// </summary>
    private sealed class CountingPool(int extraLength = 0) : ArrayPool<byte>
    {
        private readonly HashSet<byte[]> _outstanding = new(ReferenceEqualityComparer.Instance);
        private readonly Stack<byte[]> _free = new();

        public int Rents { get; private set; }

        public int Returns { get; private set; }

        public int BadReturns { get; private set; }

        public int ReturnedUncleared { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rents++;
            var array = _free.Count > 0 && _free.Peek().Length >= minimumLength + extraLength ? _free.Pop() : new byte[minimumLength + extraLength];
            array.AsSpan(minimumLength).Fill(0xEE);
            _outstanding.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Returns++;
            if (!_outstanding.Remove(array))
            {
                BadReturns++;
                return;
            }

            if (clearArray)
            {
                Array.Clear(array);
            }
            else
            {
                ReturnedUncleared++;
            }

            _free.Push(array);
        }

        public void ShouldBeBalanced(string because = "")
        {
            BadReturns.Should().Be(0, "an array must go back once, and only an array this pool lent: a double return hands one buffer to two users");
            _outstanding.Should().BeEmpty($"every rented buffer must be returned ({Rents} rented, {Returns} returned) {because}");
        }
    }

    /// <summary>A stream that returns at most 1..7 bytes per read, like a slow socket.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 1 + (_reads++ % 7)), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that reads zeros and then fails, and fails on any write after <c>after</c> bytes.</summary>
    private sealed class FailingStream(int after) : Stream
    {
        private long _done;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _done; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_done >= after)
            {
                throw new IOException("The connection was reset.");
            }

            var n = (int)Math.Min(buffer.Length, after - _done);
            buffer[..n].Clear();
            _done += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_done + buffer.Length > after)
            {
                throw new IOException("The disk is full.");
            }

            _done += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
