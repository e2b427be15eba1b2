using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Koans.Testing;

/// <summary>
/// A TCP server on 127.0.0.1 with an OS-assigned port (port 0), for tests that need a real socket peer (raw TCP, or
/// TLS by wrapping the stream in an <c>SslStream</c> inside the handler). Each accepted connection runs
/// <c>handleConnection</c> on its own task; the stream (and socket) is disposed when the handler returns.
/// </summary>
/// <remarks>
/// A handler that throws does not stop the server: the exception is recorded in <see cref="HandlerFaults"/> (a test
/// can assert that a refused TLS handshake failed on the server side too). <see cref="DisposeAsync"/> stops accepting,
/// cancels the handlers' token and waits for every handler to finish.
/// </remarks>
public sealed class LoopbackTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<NetworkStream, CancellationToken, Task> _handleConnection;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly Task _acceptLoop;
    private int _connectionsAccepted;

    private LoopbackTcpServer(Func<NetworkStream, CancellationToken, Task> handleConnection)
    {
        _handleConnection = handleConnection;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts listening on 127.0.0.1:0 at once; <see cref="EndPoint"/> has the assigned port.</summary>
    public static LoopbackTcpServer Start(Func<NetworkStream, CancellationToken, Task> handleConnection)
    {
        ArgumentNullException.ThrowIfNull(handleConnection);
        return new LoopbackTcpServer(handleConnection);
    }

    /// <summary>127.0.0.1 and the port the OS assigned.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>How many connections were accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>Exceptions thrown by handlers (cancellation during shutdown excluded), in the order they happened.</summary>
    public IReadOnlyCollection<Exception> HandlerFaults => _faults.ToArray();

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return; // stopping
            }

            Interlocked.Increment(ref _connectionsAccepted);
            _handlers.Add(Task.Run(() => HandleAsync(socket)));
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            await _handleConnection(stream, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _faults.Enqueue(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_handlers).ConfigureAwait(false); // handlers catch their own exceptions
        _listener.Dispose();
        _stopping.Dispose();
    }
}
