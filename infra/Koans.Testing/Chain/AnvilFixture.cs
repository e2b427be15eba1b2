using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Xunit;

namespace Koans.Testing.Chain;

/// <summary>How the online Ethereum katas reach a chain, chosen by the <c>KOANS_CHAIN</c> environment variable.</summary>
public enum ChainMode
{
    /// <summary>Unset or <c>local</c>: the Anvil binary from <c>infra/chain/node_modules</c> (<c>npm ci</c>).</summary>
    Local,

    /// <summary><c>container</c>: the image <c>KOANS_ANVIL_IMAGE</c> (default <c>koans/anvil:1.7.1</c>) on the host network.</summary>
    Container,

    /// <summary><c>rpc</c>: an existing node at <c>KOANS_RPC_URL</c>, funded key <c>KOANS_PRIVATE_KEY</c>. No cheat methods.</summary>
    Rpc,
}

/// <summary>
/// One Ethereum node per test assembly: declare it with <c>[assembly: AssemblyFixture(typeof(AnvilFixture))]</c> and take
/// it in the test class's constructor (or derive from <see cref="ChainTest"/>, which also isolates each test).
/// </summary>
/// <remarks>
/// The node listens on 127.0.0.1 only, on a free port. When no node can be had (the npm packages not installed, no Docker, no
/// <c>KOANS_RPC_URL</c>), <see cref="UnavailableReason"/> says how to enable the tests and <see cref="SkipIfUnavailable"/>
/// skips them; the fixture never fails the test run for it.
/// </remarks>
public sealed class AnvilFixture : IAsyncLifetime
{
    /// <summary>The image the container mode runs when <c>KOANS_ANVIL_IMAGE</c> is unset (built by infra/chain/build-anvil-image.sh).</summary>
    public const string DefaultImage = "koans/anvil:1.7.1";

    private const string NpmHint = "The online Ethereum katas need the pinned Anvil, which is not installed: run them through ./run-katas.sh, which fetches it on first use (needs Node.js 20+), or run `cd infra/chain && npm ci`.";
    private const int ReadinessAttempts = 150;
    private static readonly TimeSpan ReadinessInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<string> nodeOutput = [];
    private Process? process;
    private IContainer? container;
    private Uri? rpcUrl;
    private long nextId;

    public AnvilFixture()
    {
        var mode = Environment.GetEnvironmentVariable("KOANS_CHAIN");
        Mode = mode?.Trim().ToLowerInvariant() switch
        {
            null or "" or "local" => ChainMode.Local,
            "container" => ChainMode.Container,
            "rpc" => ChainMode.Rpc,
            _ => throw new InvalidOperationException($"KOANS_CHAIN is '{mode}': use local (the default), container or rpc."),
        };
    }

    /// <summary>Where the node is, from <c>KOANS_CHAIN</c>.</summary>
    public ChainMode Mode { get; }

    /// <summary>Null when a node is running; otherwise one sentence on how to get one.</summary>
    public string? UnavailableReason { get; private set; }

    /// <summary>True when the node has Anvil's cheat methods (evm_snapshot, evm_revert, evm_increaseTime, evm_mine).</summary>
    public bool SupportsCheats => Mode != ChainMode.Rpc;

    /// <summary>The node's JSON-RPC endpoint (http://127.0.0.1:port/ for Anvil).</summary>
    public Uri RpcUrl => rpcUrl ?? throw new InvalidOperationException(UnavailableReason ?? "The chain is not started.");

    /// <summary>Funded private keys (0x hex): Anvil's ten default keys, or the one <c>KOANS_PRIVATE_KEY</c>.</summary>
    public IReadOnlyList<string> PrivateKeys { get; private set; } = [];

    /// <summary>Skips the current test (xunit v3 dynamic skip) when no node is available, saying how to get one.</summary>
    public void SkipIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip(UnavailableReason);
        }
    }

    /// <summary>Skips the current test when the node has no cheat methods (KOANS_CHAIN=rpc).</summary>
    public void SkipUnlessCheats()
    {
        SkipIfUnavailable();
        if (!SupportsCheats)
        {
            Assert.Skip("This kata moves the chain's clock or reverts its state with Anvil's cheat methods (evm_increaseTime, evm_snapshot): unset KOANS_CHAIN to run it on a local Anvil.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        switch (Mode)
        {
            case ChainMode.Rpc:
                var url = Environment.GetEnvironmentVariable("KOANS_RPC_URL");
                var key = Environment.GetEnvironmentVariable("KOANS_PRIVATE_KEY");
                if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(key))
                {
                    UnavailableReason = "KOANS_CHAIN=rpc needs KOANS_RPC_URL (the node's JSON-RPC URL) and KOANS_PRIVATE_KEY (a funded key, 0x hex).";
                    return;
                }

                rpcUrl = new Uri(url);
                PrivateKeys = [key.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? key : "0x" + key];
                await WaitUntilReadyAsync(exited: () => false);
                return;
            case ChainMode.Container:
                await StartContainerAsync();
                break;
            default:
                await StartLocalAsync();
                break;
        }

        if (UnavailableReason is null)
        {
            PrivateKeys = AnvilAccounts.PrivateKeys;
        }
    }

    /// <summary>
    /// A raw JSON-RPC call for test plumbing (cheat methods, setup). Returns the <c>result</c>; a JSON-RPC error
    /// becomes an <see cref="InvalidOperationException"/> with the node's message.
    /// </summary>
    public async Task<JsonElement> RpcAsync(string method, params object?[] parameters)
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref nextId),
            ["method"] = method,
            ["params"] = JsonSerializer.SerializeToNode(parameters),
        };
        using var response = await http.PostAsJsonAsync(RpcUrl, request);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error.GetRawText()}");
        }

        return document.RootElement.GetProperty("result").Clone();
    }

    /// <summary>evm_snapshot: the id to revert to. An id can be reverted once; take a new snapshot after each revert.</summary>
    public async Task<string> SnapshotAsync() => (await RpcAsync("evm_snapshot")).GetString()!;

    /// <summary>evm_revert: back to the state of <paramref name="snapshotId"/>, which is then used up.</summary>
    public async Task RevertAsync(string snapshotId)
    {
        if (!(await RpcAsync("evm_revert", snapshotId)).GetBoolean())
        {
            throw new InvalidOperationException($"evm_revert({snapshotId}) returned false: a snapshot id can be reverted only once.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        if (container is not null)
        {
            await container.DisposeAsync();
        }

        http.Dispose();
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds Koans.sln.</summary>
    public static DirectoryInfo FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Koans.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No Koans.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    /// <summary>The Anvil binary npm installs under infra/chain/node_modules for this platform.</summary>
    public static string AnvilBinaryPath()
    {
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var exe = OperatingSystem.IsWindows() ? "anvil.exe" : "anvil";
        return Path.Combine(FindRepositoryRoot().FullName, "infra", "chain", "node_modules", "@foundry-rs", $"anvil-{os}-{arch}", "bin", exe);
    }

    private async Task StartLocalAsync()
    {
        var binary = AnvilBinaryPath();
        if (!File.Exists(binary))
        {
            UnavailableReason = NpmHint;
            return;
        }

        // The free port is found by binding port 0 and releasing it; another process can take it in between,
        // so a node that exits at once is started again on a new port.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = FreeLoopbackPort();
            var start = new ProcessStartInfo(binary)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
            process.OutputDataReceived += (_, e) => Remember(e.Data);
            process.ErrorDataReceived += (_, e) => Remember(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            rpcUrl = new Uri($"http://127.0.0.1:{port}/");
            var current = process;
            if (await WaitUntilReadyAsync(exited: () => current.HasExited))
            {
                return;
            }

            if (!current.HasExited)
            {
                current.Kill(entireProcessTree: true);
            }

            await current.WaitForExitAsync();
            current.Dispose();
            process = null;
        }

        throw new InvalidOperationException($"Anvil did not answer eth_chainId. Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, LastOutput())}");
    }

    private async Task StartContainerAsync()
    {
        var image = Environment.GetEnvironmentVariable("KOANS_ANVIL_IMAGE") is { Length: > 0 } configured ? configured : DefaultImage;
        var port = FreeLoopbackPort();
        try
        {
            // Host networking, always: the node listens on the host's loopback like the local binary does,
            // and no traffic goes through Docker's bridge network.
            container = new ContainerBuilder(image)
                .WithCommand("--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithCreateParameterModifier(parameters =>
                {
                    parameters.HostConfig ??= new Docker.DotNet.Models.HostConfig();
                    parameters.HostConfig.NetworkMode = "host";
                })
                .WithCleanUp(true)
                .WithAutoRemove(true)
                .Build();
            await container.StartAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            UnavailableReason = $"KOANS_CHAIN=container needs a running Docker engine and the image {image} ({e.GetType().Name}: {FirstLine(e.Message)}): run `source infra/chain/ci-container.sh start`, or unset KOANS_CHAIN.";
            return;
        }

        rpcUrl = new Uri($"http://127.0.0.1:{port}/");
        if (!await WaitUntilReadyAsync(exited: () => container!.State is TestcontainersStates.Exited or TestcontainersStates.Dead))
        {
            var (stdout, stderr) = await container.GetLogsAsync();
            throw new InvalidOperationException($"The {image} container did not answer eth_chainId on {rpcUrl}. Its logs:{Environment.NewLine}{stdout}{stderr}");
        }
    }

    /// <summary>A readiness wait, not an assertion: poll eth_chainId a bounded number of times.</summary>
    private async Task<bool> WaitUntilReadyAsync(Func<bool> exited)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < ReadinessAttempts; attempt++)
        {
            if (exited())
            {
                return false;
            }

            try
            {
                using var response = await probe.PostAsJsonAsync(rpcUrl, new { jsonrpc = "2.0", id = 0, method = "eth_chainId", @params = Array.Empty<object>() });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(ReadinessInterval);
        }

        if (Mode == ChainMode.Rpc)
        {
            UnavailableReason = $"KOANS_RPC_URL ({rpcUrl}) does not answer eth_chainId: start the node or fix the URL.";
            return false;
        }

        return false;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (nodeOutput)
        {
            nodeOutput.Add(line);
            if (nodeOutput.Count > 40)
            {
                nodeOutput.RemoveAt(0);
            }
        }
    }

    private string[] LastOutput()
    {
        lock (nodeOutput)
        {
            return [.. nodeOutput];
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
