using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Koans.Testing;

/// <summary>
/// A test client for line protocols: a real TCP connection to a loopback endpoint, UTF-8 lines terminated by "\n".
/// Every read is bounded by a generous hang guard (default 10 s) so a broken server fails the test instead of hanging
/// it; the guard is never an assertion about time.
/// </summary>
public sealed class LoopbackLineClient : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;
    private readonly TimeSpan hangGuard;

    private LoopbackLineClient(TcpClient tcp, TimeSpan hangGuard)
    {
        this.tcp = tcp;
        this.hangGuard = hangGuard;
        stream = tcp.GetStream();
        reader = new StreamReader(stream, new UTF8Encoding(false));
    }

    /// <summary>Connects to <paramref name="endpoint"/> (which must be a loopback address).</summary>
    public static async Task<LoopbackLineClient> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken, TimeSpan? hangGuard = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address)) throw new ArgumentException("Tests talk to loopback only.", nameof(endpoint));
        var tcp = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        return new LoopbackLineClient(tcp, hangGuard ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends <paramref name="line"/> followed by "\n".</summary>
    public Task SendLineAsync(string line, CancellationToken cancellationToken) => SendRawAsync(line + "\n", cancellationToken);

    /// <summary>Sends text as is (no line ending added): for splitting a line across writes.</summary>
    public async Task SendRawAsync(string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The next line (without its line ending), or null when the server closed the connection.
    /// </summary>
    /// <exception cref="TimeoutException">No line and no close within the hang guard: the server is stuck.</exception>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(hangGuard);
        try
        {
            return await reader.ReadLineAsync(guard.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No line from the server within {hangGuard.TotalSeconds} s (hang guard): is it waiting for something?");
        }
        catch (IOException)
        {
            return null; // a reset is a close too
        }
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
