using System.Net;

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
/// A nick is one word of 1 to 32 characters, without whitespace (anything else gets <c>ERR invalid nick</c>, for
/// <c>NICK</c> too); a taken nick gets <c>ERR nick taken</c>, even when two clients ask for it at the same moment. A
/// second <c>JOIN</c> gets <c>ERR already joined</c>.
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

    /// <summary>
    /// Starts listening on 127.0.0.1 on a free port and serving clients in the background; returns the bound endpoint.
    /// Cancelling <paramref name="shutdown"/> begins a graceful shutdown.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    public IPEndPoint Start(CancellationToken shutdown) => throw new NotImplementedException();

    /// <summary>
    /// Shuts down gracefully (as if the start token were cancelled) and completes when the accept loop has ended and every
    /// client has been sent the goodbye line and closed. Safe to call more than once.
    /// </summary>
    public Task StopAsync() => throw new NotImplementedException();

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();
}
