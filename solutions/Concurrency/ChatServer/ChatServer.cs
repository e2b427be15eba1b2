using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Koans.Concurrency.ChatServer;

/// <summary>
/// Kata concurrency.chat-server: a TCP chat server speaking a line protocol (Python's <c>asyncio.start_server</c> with
/// <c>StreamReader.readline()</c>), serving every client concurrently.
/// </summary>
/// <remarks>
/// <para>Lines are UTF-8 and end with "\n" (a "\r" before it is dropped). TCP delivers a byte stream, not messages:
/// a line may arrive split across packets, or several lines in one.</para>
/// <para>The protocol, client to server (every reply and broadcast is one line):</para>
/// <list type="bullet">
/// <item><description><c>JOIN &lt;nick&gt;</c>: the client gets <c>OK &lt;nick&gt;</c>, everyone else <c>* &lt;nick&gt; joined</c>.
/// A nick is one word; a taken nick gets <c>ERR nick taken</c>, even when two clients ask for it at the same moment.
/// Order matters: register the client, announce it to the others, then send OK; so a client that has read its OK
/// receives every later broadcast, and once OK is read the whole room has heard of the newcomer.</description></item>
/// <item><description><c>NICK &lt;new&gt;</c>: <c>OK &lt;new&gt;</c> to the client, <c>* &lt;old&gt; is now &lt;new&gt;</c> to
/// everyone else, announced before the OK (<c>ERR nick taken</c> if taken).</description></item>
/// <item><description><c>/msg &lt;nick&gt; &lt;text&gt;</c>: only that client gets <c>[pm] &lt;from&gt;: &lt;text&gt;</c>; an unknown
/// nick gets <c>ERR no such nick &lt;nick&gt;</c>.</description></item>
/// <item><description>Any other line: everyone else gets <c>&lt;nick&gt;: &lt;line&gt;</c>. Before JOIN, any line except JOIN
/// gets <c>ERR join first</c>.</description></item>
/// <item><description>When a joined client disconnects, everyone else gets <c>* &lt;nick&gt; left</c>.</description></item>
/// </list>
/// <para>Lines to one client never interleave, even when several clients talk to it at once.</para>
/// <para>Untrusted clients: a line longer than <see cref="MaxLineBytes"/> bytes (without its "\n"), finished or still
/// arriving, gets <c>ERR line too long</c> and the connection is closed (a joined client's departure is announced).
/// A client that stops reading must not stall anyone else: once <see cref="MaxQueuedLines"/> lines are waiting to be
/// sent to it, it is disconnected (IRC servers call this "SendQ exceeded").</para>
/// <para>Graceful shutdown: when the token given to <see cref="Start"/> is cancelled or <see cref="StopAsync"/> is called,
/// stop accepting, send every connected client <c>BYE server shutting down</c>, close their connections, and let
/// <see cref="StopAsync"/> complete only once all of that has happened. No task may be left running or unobserved.</para>
/// </remarks>
public sealed class ChatServer : IAsyncDisposable
{
    /// <summary>The goodbye line every client gets on shutdown.</summary>
    public const string Goodbye = "BYE server shutting down";

    /// <summary>The longest line (in bytes, without its "\n") a client may send.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>How many lines may wait to be sent to one client before it counts as not reading.</summary>
    public const int MaxQueuedLines = 256;

    private readonly ConcurrentDictionary<string, Connection> room = new(StringComparer.Ordinal);
    private readonly List<Task> handlers = [];
    private CancellationTokenSource? shutdown;
    private TcpListener? listener;
    private Task? acceptLoop;

    /// <summary>Starts listening on 127.0.0.1:0 and serving in the background; returns the bound endpoint.</summary>
    public IPEndPoint Start(CancellationToken shutdown)
    {
        if (this.shutdown is not null) throw new InvalidOperationException("The server is already started.");
        this.shutdown = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        acceptLoop = AcceptLoopAsync(listener, this.shutdown.Token);
        return (IPEndPoint)listener.LocalEndpoint;
    }

    /// <summary>Shuts down gracefully and completes when everything has ended.</summary>
    public async Task StopAsync()
    {
        if (shutdown is null || acceptLoop is null) return;
        await shutdown.CancelAsync();
        await acceptLoop; // no new handlers after this
        Task[] running;
        lock (handlers) running = [.. handlers];
        await Task.WhenAll(running);
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        shutdown?.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken);
                socket.NoDelay = true;
                // Never `_ = HandleAsync(...)` and forget it: the task is kept so shutdown can await it and no
                // exception goes unobserved. HandleAsync itself never throws.
                lock (handlers) handlers.Add(HandleAsync(new Connection(socket), cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: stop accepting.
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task HandleAsync(Connection client, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(client.Stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var tooLong = false;
                while (!tooLong && TryReadLine(ref buffer, out var line))
                {
                    if (line.Length > MaxLineBytes) tooLong = true;
                    else await HandleLineAsync(client, Encoding.UTF8.GetString(line).TrimEnd('\r'));
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                // A client that never sends '\n' must not make us buffer forever: the cap holds for a line still
                // arriving too.
                if (tooLong || buffer.Length > MaxLineBytes)
                {
                    await client.SendAsync("ERR line too long");
                    break;
                }
                if (result.IsCompleted) break; // the client closed its side
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await client.SendAsync(Goodbye);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client vanished: treat it as a disconnect.
        }
        finally
        {
            await reader.CompleteAsync();
            if (client.Nick is { } nick && room.TryRemove(new KeyValuePair<string, Connection>(nick, client)) &&
                !cancellationToken.IsCancellationRequested)
            {
                await BroadcastAsync(client, $"* {nick} left");
            }
            await client.CloseAsync();
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out line, (byte)'\n'))
        {
            buffer = buffer.Slice(reader.Position);
            return true;
        }
        return false;
    }

    private async Task HandleLineAsync(Connection client, string line)
    {
        var (command, rest) = line.IndexOf(' ') is var space and >= 0 ? (line[..space], line[(space + 1)..].Trim()) : (line, "");
        if (client.Nick is null)
        {
            if (command != "JOIN") await client.SendAsync("ERR join first");
            else if (!IsValidNick(rest)) await client.SendAsync("ERR invalid nick");
            else if (!room.TryAdd(rest, client)) await client.SendAsync("ERR nick taken");
            else
            {
                // Registered, then announced, then acknowledged: a client that has read its OK gets every later
                // broadcast, and the room has heard of it before anyone can react to the OK.
                client.Nick = rest;
                await BroadcastAsync(client, $"* {rest} joined");
                await client.SendAsync($"OK {rest}");
            }
            return;
        }

        switch (command)
        {
            case "JOIN":
                await client.SendAsync("ERR already joined");
                break;
            case "NICK":
                if (!IsValidNick(rest)) await client.SendAsync("ERR invalid nick");
                else if (!room.TryAdd(rest, client)) await client.SendAsync("ERR nick taken");
                else
                {
                    var old = client.Nick;
                    room.TryRemove(old, out _);
                    client.Nick = rest;
                    await BroadcastAsync(client, $"* {old} is now {rest}");
                    await client.SendAsync($"OK {rest}");
                }
                break;
            case "/msg":
                var (to, text) = rest.IndexOf(' ') is var gap and >= 0 ? (rest[..gap], rest[(gap + 1)..]) : (rest, "");
                if (room.TryGetValue(to, out var recipient)) await recipient.SendAsync($"[pm] {client.Nick}: {text}");
                else await client.SendAsync($"ERR no such nick {to}");
                break;
            default:
                await BroadcastAsync(client, $"{client.Nick}: {line}");
                break;
        }
    }

    private static bool IsValidNick(string nick) => nick.Length is > 0 and <= 32 && !nick.Any(char.IsWhiteSpace);

    private async Task BroadcastAsync(Connection from, string line)
    {
        // SendAsync only queues: a client that does not read fills its own queue and is dropped, never the sender's loop.
        foreach (var other in room.Values)
        {
            if (other != from) await other.SendAsync(line);
        }
    }

    private sealed class Connection
    {
        private readonly Socket socket;
        // One writer task per client drains its queue, so lines to a client never interleave and a broadcaster never
        // waits for a client's TCP window. Bounded: a client that stops reading is disconnected once MaxQueuedLines
        // lines wait for it (IRC's "SendQ exceeded"), instead of making the server buffer without limit.
        private readonly Channel<string> outbox = Channel.CreateBounded<string>(
            new BoundedChannelOptions(MaxQueuedLines) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly Task writer;

        public Connection(Socket socket)
        {
            this.socket = socket;
            Stream = new NetworkStream(socket, ownsSocket: true);
            writer = WriteLoopAsync();
        }

        public NetworkStream Stream { get; }

        public string? Nick { get; set; }

        /// <summary>Queues one line. A client whose queue is full is not reading: it is disconnected (its own handler
        /// then sees the read fail and cleans up), and the caller never waits for it.</summary>
        public Task SendAsync(string line)
        {
            if (!outbox.Writer.TryWrite(line) && outbox.Writer.TryComplete())
            {
                Stream.Dispose(); // the pending write and the handler's read both fail, and both end
            }
            return Task.CompletedTask;
        }

        private async Task WriteLoopAsync()
        {
            try
            {
                await foreach (var line in outbox.Reader.ReadAllAsync())
                {
                    await Stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client is gone (or was dropped); its handler cleans up.
            }
        }

        /// <summary>Sends what is queued (the goodbye included), then closes with a FIN, not a reset.</summary>
        public async Task CloseAsync()
        {
            outbox.Writer.TryComplete();
            await writer;
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            Stream.Dispose();
        }
    }
}
