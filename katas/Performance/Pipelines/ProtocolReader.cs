using System.Buffers;
using System.IO.Pipelines;

namespace Koans.Performance.Pipelines;

/// <summary>
/// Kata performance.pipelines: read two classic wire formats from a <see cref="PipeReader"/> without copying the bytes
/// out of the pipe's buffers: length-prefixed frames and newline-terminated lines.
/// </summary>
/// <remarks>
/// <para>A pipe hands you whatever has arrived, as a <see cref="ReadOnlySequence{T}"/> that may be split across several
/// buffers at any byte, including inside a length prefix. You parse the complete messages at the front, then tell the
/// pipe two things: how far you <i>consumed</i> (those bytes may be freed) and how far you <i>examined</i> (do not wake
/// me again until there is more than this). Getting the second wrong makes the read loop spin at 100% CPU on a partial
/// message; getting the first wrong loses or repeats data.</para>
/// <para>What the tests hold you to:</para>
/// <list type="bullet">
/// <item><description>Messages split at every possible offset, across segments, are read correctly (one test feeds
/// the reader a byte at a time, each byte in its own segment).</description></item>
/// <item><description>The loop never asks for more data while it has not examined everything it was given (counted by
/// an instrumented reader: each such read is a spin).</description></item>
/// <item><description>Limits are enforced as soon as they are known: a frame whose length prefix is negative or above
/// <see cref="MaxFrameLength"/>, or a line above <see cref="MaxLineLength"/>, throws
/// <see cref="InvalidDataException"/> without waiting for the rest (a peer must not make you buffer 2 GB).</description></item>
/// <item><description>Data left over when the writer completes (half a frame, a line without its newline) throws
/// <see cref="EndOfStreamException"/> after every complete message was delivered.</description></item>
/// <item><description>Delivering a message allocates nothing: over a thousand messages, less than one byte per
/// message. The message handed to the callback is a view of the pipe's buffer, valid only during the
/// call.</description></item>
/// </list>
/// <para>The read methods neither complete nor dispose the reader: the caller owns it.</para>
/// </remarks>
public static class ProtocolReader
{
    /// <summary>The largest frame payload accepted: 64 KiB.</summary>
    public const int MaxFrameLength = 64 * 1024;

    /// <summary>The most bytes a line may have before its <c>\n</c> (a <c>\r</c> there counts).</summary>
    public const int MaxLineLength = 1024;

    /// <summary>
    /// Writes one frame: the payload's length as a 4-byte big-endian integer, then the payload, straight into the
    /// writer's memory (no intermediate array).
    /// </summary>
    /// <exception cref="ArgumentException">The payload is longer than <see cref="MaxFrameLength"/>.</exception>
    public static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload) => throw new NotImplementedException();

    /// <summary>
    /// Takes one frame (a 4-byte big-endian length, then that many bytes) off the front of <paramref name="buffer"/>.
    /// Returns false, leaving <paramref name="buffer"/> as it was, when the frame is not complete yet.
    /// </summary>
    /// <param name="buffer">The unread bytes; on success, what follows the frame.</param>
    /// <param name="payload">The frame's payload, a slice of <paramref name="buffer"/> (no copy).</param>
    /// <exception cref="InvalidDataException">The length is negative or above <see cref="MaxFrameLength"/>.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload) => throw new NotImplementedException();

    /// <summary>
    /// Takes one line off the front of <paramref name="buffer"/>: the bytes before the first <c>\n</c>, without the
    /// <c>\n</c> and without one <c>\r</c> right before it. Returns false, leaving <paramref name="buffer"/> as it was,
    /// when no <c>\n</c> has arrived yet.
    /// </summary>
    /// <exception cref="InvalidDataException">More than <see cref="MaxLineLength"/> bytes come before the
    /// <c>\n</c>, or before the end of <paramref name="buffer"/> when there is no <c>\n</c> yet.</exception>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line) => throw new NotImplementedException();

    /// <summary>
    /// Reads frames from <paramref name="reader"/> until the writer completes, passing each payload to
    /// <paramref name="onFrame"/>, and returns how many there were.
    /// </summary>
    /// <exception cref="InvalidDataException">A frame is over the limit (see <see cref="TryReadFrame"/>).</exception>
    /// <exception cref="EndOfStreamException">The writer completed in the middle of a frame.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<int> ReadFramesAsync(PipeReader reader, Action<ReadOnlySequence<byte>> onFrame, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Reads lines from <paramref name="reader"/> until the writer completes, passing each to <paramref name="onLine"/>,
    /// and returns how many there were.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is over the limit (see <see cref="TryReadLine"/>).</exception>
    /// <exception cref="EndOfStreamException">The writer completed after a line without its <c>\n</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<int> ReadLinesAsync(PipeReader reader, Action<ReadOnlySequence<byte>> onLine, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
