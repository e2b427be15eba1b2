using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Koans.Testing;

namespace Koans.Performance.Pipelines;

public class ProtocolReaderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void WriteFrame_writes_the_length_big_endian_then_the_payload()
    {
        // The format: a 32-bit length in network byte order (big-endian), then the payload. 3 is 00 00 00 03;
        // 300 is 00 00 01 2C.
        var writer = new ArrayBufferWriter<byte>();
        ProtocolReader.WriteFrame(writer, "abc"u8);
        ProtocolReader.WriteFrame(writer, []);
        ProtocolReader.WriteFrame(writer, new byte[300]);
        writer.WrittenSpan[..11].ToArray().Should().Equal([0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c', 0, 0, 0, 0],
            "the length comes first, most significant byte first; an empty payload is a 4-byte frame of zeros");
        writer.WrittenSpan[11..15].ToArray().Should().Equal([0, 0, 1, 0x2C], "300 = 0x012C");
        writer.WrittenCount.Should().Be(11 + 4 + 300);

        ProtocolReader.WriteFrame(new ArrayBufferWriter<byte>(), new byte[ProtocolReader.MaxFrameLength]);
        FluentActions.Invoking(() => ProtocolReader.WriteFrame(new ArrayBufferWriter<byte>(), new byte[ProtocolReader.MaxFrameLength + 1]))
            .Should().Throw<ArgumentException>("a frame the reader would refuse must not be written");
    }

    [Fact]
    public void TryReadFrame_takes_whole_frames_and_leaves_a_partial_one_untouched()
    {
        byte[] bytes = [0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c', 0, 0, 0, 0, 0, 0, 0, 5, (byte)'h', (byte)'e'];
        var buffer = new ReadOnlySequence<byte>(bytes);

        ProtocolReader.TryReadFrame(ref buffer, out var first).Should().BeTrue();
        first.ToArray().Should().Equal("abc"u8.ToArray());
        ProtocolReader.TryReadFrame(ref buffer, out var empty).Should().BeTrue("a frame may be empty");
        empty.Length.Should().Be(0);

        ProtocolReader.TryReadFrame(ref buffer, out _).Should().BeFalse("the third frame promises 5 bytes and only 2 have arrived");
        buffer.ToArray().Should().Equal([0, 0, 0, 5, (byte)'h', (byte)'e'], "an incomplete frame stays in the buffer, header included, for the next read");

        var header = new ReadOnlySequence<byte>([0, 0, 1]);
        ProtocolReader.TryReadFrame(ref header, out _).Should().BeFalse("three bytes are not a length yet");
        header.Length.Should().Be(3);

        var largest = Frame(new byte[ProtocolReader.MaxFrameLength]);
        var whole = new ReadOnlySequence<byte>(largest);
        ProtocolReader.TryReadFrame(ref whole, out var payload).Should().BeTrue("exactly the limit is allowed");
        payload.Length.Should().Be(ProtocolReader.MaxFrameLength);
        whole.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void TryReadFrame_refuses_a_length_over_the_limit_before_the_payload_arrives()
    {
        foreach (var length in new[] { ProtocolReader.MaxFrameLength + 1, int.MaxValue, -1, int.MinValue })
        {
            var header = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(header, length);
            var buffer = new ReadOnlySequence<byte>(header);
            FluentActions.Invoking(() => ProtocolReader.TryReadFrame(ref buffer, out _)).Should().Throw<InvalidDataException>(
                $"a length of {length} is refused as soon as the header is read; waiting for the payload lets a peer make you buffer up to 2 GB");
        }
    }

    [Fact]
    public void TryReadLine_strips_the_newline_and_one_carriage_return()
    {
        var buffer = new ReadOnlySequence<byte>("first\r\nsecond\n\n\r\nmid\rdle\r\r\npartial"u8.ToArray());
        var lines = new List<string>();
        while (ProtocolReader.TryReadLine(ref buffer, out var line))
        {
            lines.Add(Encoding.ASCII.GetString(line));
        }

        lines.Should().Equal(["first", "second", "", "", "mid\rdle\r"],
            "the \\n ends a line; one \\r right before it is part of the ending; any other \\r (the second-last one too) is data");
        Encoding.ASCII.GetString(buffer).Should().Be("partial", "a line without its \\n stays in the buffer");
    }

    [Fact]
    public void TryReadLine_refuses_a_line_over_the_limit_with_or_without_its_newline()
    {
        var longest = new ReadOnlySequence<byte>([.. Enumerable.Repeat((byte)'x', ProtocolReader.MaxLineLength), (byte)'\n']);
        ProtocolReader.TryReadLine(ref longest, out var line).Should().BeTrue("exactly the limit is allowed");
        line.Length.Should().Be(ProtocolReader.MaxLineLength);

        var waiting = new ReadOnlySequence<byte>([.. Enumerable.Repeat((byte)'x', ProtocolReader.MaxLineLength)]);
        ProtocolReader.TryReadLine(ref waiting, out _).Should().BeFalse("the limit is not passed yet: the \\n may come next");

        var tooLong = new ReadOnlySequence<byte>([.. Enumerable.Repeat((byte)'x', ProtocolReader.MaxLineLength + 1), (byte)'\n']);
        FluentActions.Invoking(() => ProtocolReader.TryReadLine(ref tooLong, out _)).Should().Throw<InvalidDataException>(
            "the line has one byte more than the limit");

        var endless = new ReadOnlySequence<byte>([.. Enumerable.Repeat((byte)'x', ProtocolReader.MaxLineLength + 1)]);
        FluentActions.Invoking(() => ProtocolReader.TryReadLine(ref endless, out _)).Should().Throw<InvalidDataException>(
            "without a newline, a line already over the limit is refused now: waiting for the \\n lets a peer fill your memory");
    }

    [Fact]
    public async Task Frames_fed_one_byte_at_a_time_in_separate_segments_are_read_without_spinning()
    {
        byte[][] payloads = [[], [7], "abc"u8.ToArray(), [.. Enumerable.Range(0, 300).Select(i => (byte)i)], [0, 0, 0, 4]];
        var reader = new TrickleReader([.. payloads.SelectMany(Frame)]);
        var received = new List<byte[]>();

        var count = await ProtocolReader.ReadFramesAsync(reader, payload => received.Add(payload.ToArray()), Token);

        count.Should().Be(payloads.Length);
        received.Should().BeEquivalentTo(payloads, o => o.WithStrictOrdering(),
            "every byte arrived in a segment of its own, so every header and payload was split at every possible offset");
        reader.Spins.Should().Be(0,
            "after parsing what it could, the loop must say it examined the whole buffer (AdvanceTo(consumed, examined)); " +
            "otherwise a real pipe returns the same bytes at once and the loop spins");
    }

    [Fact]
    public async Task Lines_fed_one_byte_at_a_time_in_separate_segments_are_read_without_spinning()
    {
        var reader = new TrickleReader("GET /\r\nHost: a\r\n\r\nx\ry\n"u8.ToArray());
        var received = new List<string>();

        var count = await ProtocolReader.ReadLinesAsync(reader, line => received.Add(Encoding.ASCII.GetString(line)), Token);

        count.Should().Be(4);
        received.Should().Equal(["GET /", "Host: a", "", "x\ry"], "a \\r\\n split across segments is still one line ending");
        reader.Spins.Should().Be(0, "examined must be the end of the buffer whenever no whole line is left");
    }

    [Fact]
    public async Task Data_left_when_the_writer_completes_is_reported_after_the_whole_messages()
    {
        var frames = new List<string>();
        var cutFrame = PipeReader.Create(new ReadOnlySequence<byte>([.. Frame("ok"u8.ToArray()), 0, 0, 0, 5, 1, 2]));
        await FluentActions.Awaiting(() => ProtocolReader.ReadFramesAsync(cutFrame, f => frames.Add(Encoding.ASCII.GetString(f)), Token))
            .Should().ThrowAsync<EndOfStreamException>("the connection ended inside a frame: that is an error, not a quiet end");
        frames.Should().Equal(["ok"], "the whole frame before the cut is still delivered");

        var cutHeader = PipeReader.Create(new ReadOnlySequence<byte>([0, 0]));
        await FluentActions.Awaiting(() => ProtocolReader.ReadFramesAsync(cutHeader, _ => { }, Token))
            .Should().ThrowAsync<EndOfStreamException>("two bytes of a length are half a frame");

        var lines = new List<string>();
        var cutLine = PipeReader.Create(new ReadOnlySequence<byte>("one\ntwo"u8.ToArray()));
        await FluentActions.Awaiting(() => ProtocolReader.ReadLinesAsync(cutLine, l => lines.Add(Encoding.ASCII.GetString(l)), Token))
            .Should().ThrowAsync<EndOfStreamException>("\"two\" never got its newline");
        lines.Should().Equal(["one"]);

        (await ProtocolReader.ReadLinesAsync(PipeReader.Create(ReadOnlySequence<byte>.Empty), _ => { }, Token)).Should().Be(0,
            "no data at all is a clean end");
    }

    [Fact]
    public async Task A_cancelled_read_throws_OperationCanceledException()
    {
        var pipe = new Pipe();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await FluentActions.Awaiting(() => ProtocolReader.ReadFramesAsync(pipe.Reader, _ => { }, cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>("the token goes to every ReadAsync");
        await FluentActions.Awaiting(() => ProtocolReader.ReadLinesAsync(pipe.Reader, _ => { }, cancelled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Frames_written_by_a_server_arrive_intact_over_a_loopback_socket()
    {
        // Payload sizes from 0 to 40 000 bytes: the larger ones arrive in several socket reads.
        var payloads = Enumerable.Range(0, 60).Select(i => Enumerable.Range(0, i * i * 11).Select(b => (byte)(b * 31 + i)).ToArray()).ToList();
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            var writer = PipeWriter.Create(stream);
            foreach (var payload in payloads)
            {
                ProtocolReader.WriteFrame(writer, payload);
                await writer.FlushAsync(ct);
            }

            await writer.CompleteAsync();
        });

        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Token);
        guard.CancelAfter(TimeSpan.FromSeconds(30)); // a hang guard only: a stuck loop fails here, by name
        using var client = new TcpClient();
        await client.ConnectAsync(server.EndPoint, guard.Token);
        var reader = PipeReader.Create(client.GetStream());
        var received = new List<byte[]>();
        var count = await ProtocolReader.ReadFramesAsync(reader, payload => received.Add(payload.ToArray()), guard.Token);
        await reader.CompleteAsync();

        count.Should().Be(payloads.Count);
        received.Should().HaveCount(payloads.Count);
        Enumerable.Range(0, payloads.Count).Where(i => !received[i].AsSpan().SequenceEqual(payloads[i])).Should().BeEmpty(
            "these frames came back different; the socket splits frames wherever it likes, and each must still be whole");
    }

    [Fact]
    public async Task Lines_sent_in_odd_pieces_arrive_intact_over_a_loopback_socket()
    {
        var text = string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i} {new string('=', i % 97)}\r\n"));
        await using var server = LoopbackTcpServer.Start(async (stream, ct) =>
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            for (var at = 0; at < bytes.Length;)
            {
                var piece = Math.Min(bytes.Length - at, 1 + (at % 13));
                await stream.WriteAsync(bytes.AsMemory(at, piece), ct);
                await stream.FlushAsync(ct);
                at += piece;
            }
        });

        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Token);
        guard.CancelAfter(TimeSpan.FromSeconds(30)); // a hang guard only
        using var client = new TcpClient();
        await client.ConnectAsync(server.EndPoint, guard.Token);
        var reader = PipeReader.Create(client.GetStream());
        var received = new List<string>();
        await ProtocolReader.ReadLinesAsync(reader, line => received.Add(Encoding.ASCII.GetString(line)), guard.Token);
        await reader.CompleteAsync();

        received.Should().Equal(text.Split("\r\n")[..^1]);
    }

    [Fact]
    public void Delivering_a_thousand_frames_or_lines_allocates_less_than_a_byte_each()
    {
        var frames = Enumerable.Range(0, 1000).SelectMany(i => Frame(new byte[32 + (i % 7)])).ToArray();
        var lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => $"message {i}\n")));

        Allocations.Measure(() => NaiveFrames(frames)).Should().BeGreaterThan(1000 * 32,
            "the budget must bite: the naive reader allocates a header and a payload array per frame");
        Allocations.Measure(() => NaiveLines(lines)).Should().BeGreaterThan(1000 * 20,
            "the budget must bite: the naive reader allocates a string per line");

        Allocations.Measure(() => Frames(frames)).Should().BeLessThan(1000,
            "each payload is a slice of the pipe's buffer: copying it (ToArray) or allocating per read is over budget");
        Allocations.Measure(() => Lines(lines)).Should().BeLessThan(1000,
            "each line is a slice of the pipe's buffer, found without copying");
    }

    private static int NaiveFrames(byte[] bytes) =>
        NaiveProtocolReader.ReadFramesAsync(new MemoryStream(bytes), static _ => { }, CancellationToken.None).GetAwaiter().GetResult();

    private static int NaiveLines(byte[] bytes) =>
        NaiveProtocolReader.ReadLinesAsync(new MemoryStream(bytes), static _ => { }, CancellationToken.None).GetAwaiter().GetResult();

    // PipeReader.Create over a ReadOnlySequence completes every read at once, so the whole call runs on this thread.
    private static int Frames(byte[] bytes) =>
        ProtocolReader.ReadFramesAsync(PipeReader.Create(new ReadOnlySequence<byte>(bytes)), static _ => { }, CancellationToken.None).GetAwaiter().GetResult();

    private static int Lines(byte[] bytes) =>
        ProtocolReader.ReadLinesAsync(PipeReader.Create(new ReadOnlySequence<byte>(bytes)), static _ => { }, CancellationToken.None).GetAwaiter().GetResult();

    private static byte[] Frame(byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>
    /// A PipeReader that releases one more byte of its data on every ReadAsync, each byte in a segment of its own, so
    /// every message is split at every offset. It counts spins: a ReadAsync after an AdvanceTo whose examined position
    /// was short of the end of the buffer (a real pipe would return the same bytes at once: a busy loop). It still
    /// releases a byte then, so a spinning loop ends and fails by that count instead of hanging.
    /// </summary>
    private sealed class TrickleReader(byte[] data) : PipeReader
    {
        private long _consumed;
        private long _released;
        private bool _examinedAll = true;
        private bool _reading;
        private int _readsAfterCompletion;

        public int Spins { get; private set; }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_reading)
            {
                throw new InvalidOperationException("ReadAsync was called again before AdvanceTo.");
            }

            if (_released == data.Length && ++_readsAfterCompletion > 2)
            {
                throw new InvalidOperationException("ReadAsync was called again and again after IsCompleted: the read loop must end.");
            }

            if (!_examinedAll && _released < data.Length)
            {
                Spins++;
            }

            _released = Math.Min(data.Length, _released + 1);
            _reading = true;
            return ValueTask.FromResult(new ReadResult(Buffer(), isCanceled: false, isCompleted: _released == data.Length));
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            var consumedAt = Offset(consumed);
            var examinedAt = Offset(examined);
            if (!_reading || consumedAt < _consumed || examinedAt < consumedAt || examinedAt > _released)
            {
                throw new InvalidOperationException($"AdvanceTo({consumedAt}, {examinedAt}) is outside the buffer {_consumed}..{_released} that was read.");
            }

            _reading = false;
            _consumed = consumedAt;
            _examinedAll = examinedAt == _released;
        }

        public override bool TryRead(out ReadResult result) => throw new NotSupportedException("This test reader only supports ReadAsync.");

        public override void CancelPendingRead() => throw new NotSupportedException();

        public override void Complete(Exception? exception = null)
        {
        }

        private ReadOnlySequence<byte> Buffer()
        {
            if (_consumed == _released)
            {
                return ReadOnlySequence<byte>.Empty;
            }

            Segment first = new(data, _consumed), last = first;
            for (var at = _consumed + 1; at < _released; at++)
            {
                last = last.Append(data, at);
            }

            return new ReadOnlySequence<byte>(first, 0, last, 1);
        }

        private long Offset(SequencePosition position) =>
            position.GetObject() is Segment segment ? segment.RunningIndex + position.GetInteger() : _consumed;

        private sealed class Segment : ReadOnlySequenceSegment<byte>
        {
            public Segment(byte[] data, long at)
            {
                Memory = data.AsMemory((int)at, 1);
                RunningIndex = at;
            }

            public Segment Append(byte[] data, long at)
            {
                var next = new Segment(data, at);
                Next = next;
                return next;
            }
        }
    }
}
