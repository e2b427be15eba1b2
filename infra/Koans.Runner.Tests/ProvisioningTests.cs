namespace Koans.Runner.Tests;

/// <summary>
/// The runner installs the pinned npm packages (infra/chain) by itself: once, under a lock, and says in one sentence
/// what is missing when it cannot. The install is a fake here (an instrumented delegate), never a real npm ci.
/// </summary>
public class ProvisioningTests
{
    // A lock file in npm's v3 format: one package for every platform, one only for an operating system that is not this one.
    private const string LockFile = """
        {
          "name": "koans-chain",
          "lockfileVersion": 3,
          "requires": true,
          "packages": {
            "": { "name": "koans-chain", "dependencies": { "left-pad": "1.3.0" }, "optionalDependencies": { "other-os-binary": "2.0.0" } },
            "node_modules/left-pad": { "version": "1.3.0" },
            "node_modules/other-os-binary": { "version": "2.0.0", "optional": true, "os": ["!win32", "!darwin", "!linux", "!freebsd"] }
          }
        }
        """;

    private static TempTree NpmTree()
    {
        var tree = TempTree.WithKatas("Alpha");
        tree.Write("infra/chain/package.json", """{ "name": "koans-chain", "private": true, "dependencies": { "left-pad": "1.3.0" }, "optionalDependencies": { "other-os-binary": "2.0.0" } }""");
        tree.Write("infra/chain/package-lock.json", LockFile);
        return tree;
    }

    /// <summary>A folder with a fake node (printing <paramref name="nodeVersion"/>) and a fake npm, to use as PATH.</summary>
    private static string FakeNodeOnPath(TempTree tree, string nodeVersion)
    {
        var bin = Path.Combine(tree.Root, "fake-bin");
        if (OperatingSystem.IsWindows())
        {
            tree.Write("fake-bin/node.cmd", $"@echo {nodeVersion}\r\n");
            tree.Write("fake-bin/npm.cmd", "@exit /b 0\r\n");
            return bin;
        }

        foreach (var (name, body) in new[] { ("node", $"echo {nodeVersion}"), ("npm", "exit 0") })
        {
            var path = tree.Write($"fake-bin/{name}", $"#!/bin/sh\n{body}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return bin;
    }

    private static void InstallLeftPad(TempTree tree, string version = "1.3.0") =>
        tree.Write("infra/chain/node_modules/left-pad/package.json", $$"""{ "name": "left-pad", "version": "{{version}}" }""");

    private static ProcessResult Succeeded() => new(0, "", false, TimeSpan.Zero);

    [Fact]
    public void Node_modules_that_match_the_lock_file_need_no_install_even_without_other_platforms_packages()
    {
        using var tree = NpmTree();
        InstallLeftPad(tree);

        new NpmProject(tree.Root).Mismatch().Should().BeNull(
            "left-pad is installed at the pinned version, and other-os-binary is for another operating system, which npm ci never installs here");
    }

    [Fact]
    public void A_missing_node_modules_or_a_package_at_another_version_needs_an_install_and_says_which()
    {
        using var tree = NpmTree();
        var project = new NpmProject(tree.Root);
        project.Mismatch().Should().Be("infra/chain/node_modules is missing");

        InstallLeftPad(tree, "1.1.0");
        project.Mismatch().Should().Be("left-pad is 1.1.0 but package-lock.json pins 1.3.0",
            "a node_modules left from an older lock file must be replaced, not trusted because the folder exists");
    }

    [Fact]
    public async Task Without_Node_js_the_runner_says_so_once_and_never_installs()
    {
        using var tree = NpmTree();
        var output = new StringWriter();
        var installs = 0;
        var emptyPath = Directory.CreateDirectory(Path.Combine(tree.Root, "empty-bin")).FullName;
        var provisioning = new Provisioning(tree.Root, new Ui(output), emptyPath, (_, _, _) =>
        {
            Interlocked.Increment(ref installs);
            return Task.FromResult(Succeeded());
        });

        var first = await provisioning.EnsureAsync("ethereum.transfer", TestContext.Current.CancellationToken);
        var second = await provisioning.EnsureAsync("ethereum.events", TestContext.Current.CancellationToken);

        first.Should().StartWith("not run: needs Node.js 20+ and npm", "each kata that needs it gets a short line pointing at the one sentence");
        second.Should().Be(first);
        installs.Should().Be(0);
        var sentence = "The online Ethereum katas and concurrency.postgres need Node.js 20+ and npm, and Node.js is not on your PATH";
        output.ToString().Should().Contain(sentence).And.Contain("cd infra/chain && npm ci");
        output.ToString().Split(sentence).Length.Should().Be(2, "the missing prerequisite is said once per run, not once per kata or test");
    }

    [Fact]
    public async Task An_old_Node_js_is_named_with_its_version()
    {
        using var tree = NpmTree();
        var output = new StringWriter();
        var provisioning = new Provisioning(tree.Root, new Ui(output), FakeNodeOnPath(tree, "v18.19.0"), (_, _, _) => Task.FromResult(Succeeded()));

        (await provisioning.EnsureAsync("verify", TestContext.Current.CancellationToken)).Should().NotBeNull();

        provisioning.Problem.Should().Contain("need Node.js 20+, and the node on your PATH is version 18");
    }

    [Fact]
    public async Task A_failed_install_gives_npm_s_error_and_the_command_to_run_by_hand()
    {
        using var tree = NpmTree();
        var output = new StringWriter();
        var provisioning = new Provisioning(tree.Root, new Ui(output), FakeNodeOnPath(tree, "v22.1.0"),
            (_, _, _) => Task.FromResult(new ProcessResult(1, "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/left-pad\nnpm error A complete log of this run can be found in: /tmp/x.log\n", false, TimeSpan.Zero)));

        (await provisioning.EnsureAsync("verify", TestContext.Current.CancellationToken)).Should().StartWith("not run: the npm install failed");

        provisioning.Problem.Should().Contain("npm error 404 Not Found", "the last error npm printed says what went wrong")
            .And.Contain("run `cd infra/chain && npm ci` by hand");
    }

    [Fact]
    public async Task A_successful_install_is_announced_in_one_line_saying_what_and_why()
    {
        using var tree = NpmTree();
        var output = new StringWriter();
        string? ranIn = null;
        var provisioning = new Provisioning(tree.Root, new Ui(output), FakeNodeOnPath(tree, "v22.1.0"), (project, _, _) =>
        {
            ranIn = project.Directory;
            InstallLeftPad(tree);
            return Task.FromResult(Succeeded());
        });

        (await provisioning.EnsureAsync("ethereum.transfer", TestContext.Current.CancellationToken)).Should().BeNull();

        ranIn.Should().Be(Path.Combine(tree.Root, "infra", "chain"));
        output.ToString().Should().Contain("Fetching the pinned npm packages (left-pad 1.3.0) for ethereum.transfer: `npm ci` in infra/chain, once, because infra/chain/node_modules is missing.");
    }

    [Fact]
    public async Task Two_runners_provisioning_at_once_install_once_and_the_second_waits_for_the_first()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tree = NpmTree();
        var path = FakeNodeOnPath(tree, "v22.1.0");
        var installs = 0;
        var firstInstallStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstInstall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondIsWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<ProcessResult> Install(NpmProject project, string npm, CancellationToken token)
        {
            Interlocked.Increment(ref installs);
            firstInstallStarted.TrySetResult();
            await releaseFirstInstall.Task.WaitAsync(token);
            InstallLeftPad(tree);
            return Succeeded();
        }

        // Two instances, as in two processes: each takes the lock through its own file handle.
        var first = new Provisioning(tree.Root, new Ui(new StringWriter()), path, Install);
        var secondOutput = new StringWriter();
        var second = new Provisioning(tree.Root, new Ui(secondOutput), path, Install, onWaitingForLock: () => secondIsWaiting.TrySetResult());

        var firstRun = first.EnsureAsync("verify", ct);
        await firstInstallStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), ct); // hang guard only
        var secondRun = second.EnsureAsync("verify", ct);
        await secondIsWaiting.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);    // hang guard only

        secondRun.IsCompleted.Should().BeFalse("the second runner must not touch node_modules while the first installs");
        releaseFirstInstall.SetResult();

        (await firstRun).Should().BeNull();
        (await secondRun).Should().BeNull("after the wait the second runner finds the packages installed");
        installs.Should().Be(1, "the second runner re-checks node_modules once it holds the lock, and finds nothing to do");
        secondOutput.ToString().Should().Contain("Another runner is installing the npm packages in infra/chain: waiting for it to finish")
            .And.NotContain("Fetching");
    }
}
