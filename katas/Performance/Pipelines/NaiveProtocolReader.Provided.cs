using System.Buffers.Binary;
using System.Text;

namespace Koans.Performance.Pipelines;

/// <summary>
/// The usual first version, over a <see cref="Stream"/>: a new array for every header and every payload (and a string
/// per line). Correct, and the per-message garbage is proportional to the traffic.
/// </summary>
public static class NaiveProtocolReader
{
    public static async Task<int> ReadFramesAsync(Stream source, Action<byte[]> onFrame, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            var header = new byte[4];
            var read = await source.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                return count;
            }

            if (read < 4)
            {
                throw new EndOfStreamException("The stream ended inside a frame header.");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            if (length is < 0 or > ProtocolReader.MaxFrameLength)
            {
                throw new InvalidDataException($"A frame of {length} bytes is over the limit.");
            }

            var payload = new byte[length];
            await source.ReadExactlyAsync(payload, cancellationToken);
            onFrame(payload);
            count++;
        }
    }

    public static async Task<int> ReadLinesAsync(Stream source, Action<string> onLine, CancellationToken cancellationToken)
    {
        using var lines = new StreamReader(source, Encoding.UTF8, leaveOpen: true);
        var count = 0;
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            onLine(line);
            count++;
        }

        return count;
    }
}
