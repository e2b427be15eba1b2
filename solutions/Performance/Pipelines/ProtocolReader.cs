using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Koans.Performance.Pipelines;

/// <summary>Length-prefixed frames and lines from a PipeReader without copying (reference solution).</summary>
public static class ProtocolReader
{
    public const int MaxFrameLength = 64 * 1024;

    public const int MaxLineLength = 1024;

    private delegate bool TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message);

    public static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxFrameLength)
        {
            throw new ArgumentException($"A frame of {payload.Length} bytes is over the {MaxFrameLength}-byte limit.", nameof(payload));
        }

        // One span from the writer for header and payload: the bytes go straight into the pipe's buffer.
        var span = writer.GetSpan(4 + payload.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, payload.Length);
        payload.CopyTo(span[4..]);
        writer.Advance(4 + payload.Length);
    }

    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        // SequenceReader reads the prefix even when its 4 bytes straddle two segments.
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out int length))
        {
            payload = default;
            return false;
        }

        // Checked before waiting for the payload: a hostile length must not make us buffer it.
        if (length is < 0 or > MaxFrameLength)
        {
            throw new InvalidDataException($"A frame of {length} bytes is over the {MaxFrameLength}-byte limit.");
        }

        if (reader.Remaining < length)
        {
            payload = default;
            return false;
        }

        payload = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n'))
        {
            // No newline yet: refuse as soon as the partial line is already over the limit, not when it ends.
            if (buffer.Length > MaxLineLength)
            {
                throw new InvalidDataException($"No newline in the first {MaxLineLength} bytes: the line is over the limit.");
            }

            line = default;
            return false;
        }

        if (raw.Length > MaxLineLength)
        {
            throw new InvalidDataException($"A line of {raw.Length} bytes is over the {MaxLineLength}-byte limit.");
        }

        buffer = buffer.Slice(reader.Position);
        line = EndsWithCarriageReturn(raw) ? raw.Slice(0, raw.Length - 1) : raw;
        return true;
    }

    public static Task<int> ReadFramesAsync(PipeReader reader, Action<ReadOnlySequence<byte>> onFrame, CancellationToken cancellationToken) =>
        ReadAllAsync(reader, TryReadFrame, onFrame, "frame", cancellationToken);

    public static Task<int> ReadLinesAsync(PipeReader reader, Action<ReadOnlySequence<byte>> onLine, CancellationToken cancellationToken) =>
        ReadAllAsync(reader, TryReadLine, onLine, "line", cancellationToken);

    private static async Task<int> ReadAllAsync(PipeReader reader, TryRead tryRead, Action<ReadOnlySequence<byte>> onMessage, string what, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (tryRead(ref buffer, out var message))
                {
                    onMessage(message);
                    count++;
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty ? count : throw new EndOfStreamException($"The writer completed inside a {what} ({buffer.Length} bytes left over).");
                }
            }
            finally
            {
                // Consumed: up to the end of the last whole message (the pipe may free it). Examined: everything it
                // gave us (do not wake us until more arrives), which is what keeps the loop from spinning.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line)
    {
        // A SequenceReader rather than FirstSpan: a slice can start at the very end of a segment, with an empty
        // first span.
        if (line.IsEmpty)
        {
            return false;
        }

        var last = new SequenceReader<byte>(line);
        last.Advance(line.Length - 1);
        return last.TryPeek(out var value) && value == (byte)'\r';
    }
}
