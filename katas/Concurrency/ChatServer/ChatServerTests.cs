using System.Net;
using System.Net.Sockets;
using Koans.Testing;

namespace Koans.Concurrency.ChatServer;

public class ChatServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Connects and joins; returns once the server has acknowledged (so later broadcasts reach this client).</summary>
    private static async Task<LoopbackLineClient> JoinAsync(IPEndPoint server, string nick)
    {
        var client = await LoopbackLineClient.ConnectAsync(server, Ct);
        await client.SendLineAsync($"JOIN {nick}", Ct);
        (await client.ReadLineAsync(Ct)).Should().Be($"OK {nick}", $"JOIN {nick} is acknowledged with OK {nick}");
        return client;
    }

    [Fact]
    public async Task Join_is_acknowledged_and_announced_to_the_others()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");

        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined", "everyone already in the room hears about a newcomer");
    }

    [Fact]
    public async Task A_message_is_broadcast_to_everyone_else_in_order()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");
        await using var carol = await JoinAsync(endpoint, "carol");
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined");
        (await alice.ReadLineAsync(Ct)).Should().Be("* carol joined");
        (await bob.ReadLineAsync(Ct)).Should().Be("* carol joined");

        await alice.SendLineAsync("hello", Ct);
        await alice.SendLineAsync("how are you?", Ct);

        foreach (var (name, client) in new[] { ("bob", bob), ("carol", carol) })
        {
            (await client.ReadLineAsync(Ct)).Should().Be("alice: hello", $"{name} is in the room");
            (await client.ReadLineAsync(Ct)).Should().Be("alice: how are you?",
                $"{name} gets alice's lines in the order she sent them");
        }
    }

    [Fact]
    public async Task A_private_message_reaches_only_its_recipient()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");
        await using var carol = await JoinAsync(endpoint, "carol");
        (await bob.ReadLineAsync(Ct)).Should().Be("* carol joined");

        await alice.SendLineAsync("/msg bob the password is swordfish", Ct);
        await alice.SendLineAsync("lunch?", Ct);

        (await bob.ReadLineAsync(Ct)).Should().Be("[pm] alice: the password is swordfish", "bob is the recipient");
        (await bob.ReadLineAsync(Ct)).Should().Be("alice: lunch?");
        (await carol.ReadLineAsync(Ct)).Should().Be("alice: lunch?",
            "carol's next line after alice's private message to bob must be alice's public one: a private message is not broadcast");
    }

    [Fact]
    public async Task Rejects_a_taken_nick_a_line_before_join_and_an_unknown_recipient()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var impostor = await LoopbackLineClient.ConnectAsync(endpoint, Ct);

        await impostor.SendLineAsync("hi all", Ct);
        (await impostor.ReadLineAsync(Ct)).Should().Be("ERR join first", "a client without a nick cannot talk");
        await impostor.SendLineAsync("JOIN alice", Ct);
        (await impostor.ReadLineAsync(Ct)).Should().Be("ERR nick taken",
            "two clients with one nick would make /msg ambiguous; the check and the insert must be one atomic step (TryAdd)");
        await alice.SendLineAsync("/msg nobody are you there?", Ct);
        (await alice.ReadLineAsync(Ct)).Should().Be("ERR no such nick nobody");
    }

    [Fact]
    public async Task A_nick_is_one_word_of_1_to_32_characters_and_a_client_joins_once()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var newcomer = await LoopbackLineClient.ConnectAsync(endpoint, Ct);
        var longest = new string('n', 32);

        foreach (var bad in new[] { "JOIN", "JOIN two words", "JOIN " + new string('n', 33) })
        {
            await newcomer.SendLineAsync(bad, Ct);
            (await newcomer.ReadLineAsync(Ct)).Should().Be("ERR invalid nick",
                $"'{bad}' asks for an empty nick, two words, or 33 characters: a nick is one word of 1 to 32");
        }
        await newcomer.SendLineAsync("JOIN " + longest, Ct);
        (await newcomer.ReadLineAsync(Ct)).Should().Be("OK " + longest, "exactly 32 characters is still a valid nick");
        (await alice.ReadLineAsync(Ct)).Should().Be($"* {longest} joined");

        await newcomer.SendLineAsync("JOIN again", Ct);
        (await newcomer.ReadLineAsync(Ct)).Should().Be("ERR already joined", "a client has one nick; NICK changes it");
        await newcomer.SendLineAsync("NICK two words", Ct);
        (await newcomer.ReadLineAsync(Ct)).Should().Be("ERR invalid nick", "NICK follows the same rule as JOIN");
        await newcomer.SendLineAsync("NICK alice", Ct);
        (await newcomer.ReadLineAsync(Ct)).Should().Be("ERR nick taken", "NICK cannot take a nick someone else holds");
        server.Invoking(s => s.Start(Ct)).Should().Throw<InvalidOperationException>("one server listens once");
    }

    [Fact]
    public async Task A_nick_change_is_announced_and_private_messages_follow_the_new_name()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined");

        await bob.SendLineAsync("NICK robert", Ct);
        (await bob.ReadLineAsync(Ct)).Should().Be("OK robert");
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob is now robert");

        await alice.SendLineAsync("/msg bob still there?", Ct);
        (await alice.ReadLineAsync(Ct)).Should().Be("ERR no such nick bob", "the old nick is released");
        await alice.SendLineAsync("/msg robert still there?", Ct);
        (await bob.ReadLineAsync(Ct)).Should().Be("[pm] alice: still there?");
    }

    [Fact]
    public async Task Lines_split_across_writes_or_sent_together_are_each_handled_once()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var bob = await JoinAsync(endpoint, "bob");
        await using var alice = await LoopbackLineClient.ConnectAsync(endpoint, Ct);

        await alice.SendRawAsync("JOIN al", Ct);
        await alice.SendRawAsync("ice\r\nfirst\nsec", Ct);
        await alice.SendRawAsync("ond\n", Ct);

        (await alice.ReadLineAsync(Ct)).Should().Be("OK alice",
            "a line may arrive in pieces: buffer until '\\n' (a PipeReader does it), and drop the '\\r' of a CRLF");
        (await bob.ReadLineAsync(Ct)).Should().Be("* alice joined");
        (await bob.ReadLineAsync(Ct)).Should().Be("alice: first", "one read may hold several lines: handle each");
        (await bob.ReadLineAsync(Ct)).Should().Be("alice: second");
    }

    [Fact]
    public async Task A_departure_is_announced_to_the_others()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        var bob = await JoinAsync(endpoint, "bob");
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined");

        await bob.DisposeAsync();

        (await alice.ReadLineAsync(Ct)).Should().Be("* bob left",
            "a closed connection ends that client's read loop (ReadResult.IsCompleted): clean up and tell the room");
    }

    [Fact]
    public async Task Shutdown_says_goodbye_to_every_client_closes_them_and_stops_accepting()
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using var server = new ChatServer();
        var endpoint = server.Start(shutdown.Token);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");
        await using var lurker = await LoopbackLineClient.ConnectAsync(endpoint, Ct);
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined");
        await lurker.SendLineAsync("anyone?", Ct);
        (await lurker.ReadLineAsync(Ct)).Should().Be("ERR join first"); // now the server has surely accepted it

        await shutdown.CancelAsync();
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct); // hang guard only

        foreach (var (name, client) in new[] { ("alice", alice), ("bob", bob), ("a client that never joined", lurker) })
        {
            (await client.ReadLineAsync(Ct)).Should().Be(ChatServer.Goodbye,
                $"{name} must be told before the connection closes: a cancelled token should end each client's read loop, not kill it silently");
            (await client.ReadLineAsync(Ct)).Should().BeNull($"after the goodbye the server closes {name}'s connection");
        }
        var connect = () => LoopbackLineClient.ConnectAsync(endpoint, Ct);
        await connect.Should().ThrowAsync<SocketException>(
            "once StopAsync has completed the accept loop has ended and the listener is stopped: connections are refused");
    }

    [Fact]
    public async Task StopAsync_alone_shuts_down_and_so_does_disposing()
    {
        await new ChatServer().StopAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct); // never started: nothing to stop

        var stopped = new ChatServer();
        await using var alice = await JoinAsync(stopped.Start(Ct), "alice");
        await stopped.StopAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct); // hang guard only; no token was cancelled
        (await alice.ReadLineAsync(Ct)).Should().Be(ChatServer.Goodbye, "StopAsync by itself shuts the server down");
        (await alice.ReadLineAsync(Ct)).Should().BeNull("and closes every connection");

        var disposed = new ChatServer();
        await using var bob = await JoinAsync(disposed.Start(Ct), "bob");
        await disposed.DisposeAsync();
        (await bob.ReadLineAsync(Ct)).Should().Be(ChatServer.Goodbye, "await using a server shuts it down the same way");
        (await bob.ReadLineAsync(Ct)).Should().BeNull();
    }

    [Fact]
    public async Task A_line_longer_than_the_cap_is_refused_and_the_client_disconnected()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined");

        await bob.SendLineAsync(new string('a', ChatServer.MaxLineBytes), Ct);
        (await alice.ReadLineAsync(Ct)).Should().Be("bob: " + new string('a', ChatServer.MaxLineBytes),
            "a line of exactly MaxLineBytes bytes is allowed: the cap is on the line, not on one read");
        await bob.SendLineAsync(new string('b', ChatServer.MaxLineBytes + 1), Ct);

        (await alice.ReadLineAsync(Ct)).Should().Be("* bob left",
            "a line over the cap is never broadcast: its sender is told and disconnected, and the room hears it left");
        (await bob.ReadLineAsync(Ct)).Should().Be("ERR line too long");
        (await bob.ReadLineAsync(Ct)).Should().BeNull("after the error the server closes the connection");
    }

    [Fact]
    public async Task A_client_that_never_ends_its_line_is_cut_off_at_the_cap()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var flooder = await LoopbackLineClient.ConnectAsync(endpoint, Ct);

        await flooder.SendRawAsync(new string('a', ChatServer.MaxLineBytes + 1), Ct); // no "\n", ever

        (await flooder.ReadLineAsync(Ct)).Should().Be("ERR line too long",
            "a client that never sends '\n' would otherwise make the server buffer without limit: check the unfinished line too");
        (await flooder.ReadLineAsync(Ct)).Should().BeNull("after the error the server closes the connection");
    }

    [Fact]
    public async Task A_client_that_never_reads_does_not_stall_the_others()
    {
        await using var server = new ChatServer();
        var endpoint = server.Start(Ct);
        await using var alice = await JoinAsync(endpoint, "alice");
        await using var bob = await JoinAsync(endpoint, "bob");
        // The stalled client: a small receive window, and it never reads a byte.
        using var stalled = new TcpClient(endpoint.AddressFamily) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(endpoint, Ct);
        await stalled.GetStream().WriteAsync("JOIN stalled\n"u8.ToArray(), Ct);
        (await alice.ReadLineAsync(Ct)).Should().Be("* bob joined");
        (await alice.ReadLineAsync(Ct)).Should().Be("* stalled joined");
        (await bob.ReadLineAsync(Ct)).Should().Be("* stalled joined");

        // Lock step: alice sends a line, bob must get it, until the stalled client is dropped (at most 40 MB, more than
        // any TCP buffers hold). The fixed point: after each line alice sends, bob's next line is that line (after a
        // "* stalled left", once). A server that waits for the stalled client stops delivering when its buffers fill.
        const int MaxLines = 20_000;
        var padding = new string('x', 2000);
        var left = 0;
        for (var i = 0; i < MaxLines && left == 0; i++)
        {
            await alice.SendLineAsync($"{i} {padding}", Ct);
            string? received;
            try
            {
                received = await bob.ReadLineAsync(Ct);
                if (received == "* stalled left")
                {
                    left++;
                    received = await bob.ReadLineAsync(Ct);
                }
            }
            catch (TimeoutException)
            {
                received = null;
            }
            received.Should().Be($"alice: {i} {padding}",
                $"bob reads every line and must get line {i}: a client that never reads may lose its own lines (it is disconnected after MaxQueuedLines), but it must never make the server stop delivering to everyone else");
        }
        left.Should().Be(1, $"the stalled client must be disconnected once MaxQueuedLines lines wait for it (the room hears it left), not buffered without limit: {MaxLines} lines of 2 KB went by");
    }
}
