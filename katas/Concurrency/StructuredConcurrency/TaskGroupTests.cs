namespace Koans.Concurrency.StructuredConcurrency;

/// <summary>A fake child: records its token, then waits for the test to release it or for its token to fire.</summary>
internal sealed class FakeChild
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken SeenToken { get; private set; }
    public bool SawCancellation { get; private set; }
    public Task Started => _started.Task;

    public void Release() => _gate.SetResult();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        SeenToken = cancellationToken;
        _started.TrySetResult();
        try { await _gate.Task.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) { SawCancellation = true; throw; }
    }
}

public class TaskGroupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DisposeAsync_waits_for_every_child_and_children_share_the_group_token()
    {
        var group = new TaskGroup(Ct);
        var a = new FakeChild();
        var b = new FakeChild();
        group.Start(a.RunAsync);
        group.Start(b.RunAsync);

        var disposing = group.DisposeAsync().AsTask();
        disposing.IsCompleted.Should().BeFalse("two children are still running: nothing may outlive the scope");
        a.Release();
        await a.Started;
        disposing.IsCompleted.Should().BeFalse("child b is still running");
        b.Release();
        await disposing.WaitAsync(Ct);

        a.SeenToken.Should().Be(group.Token, "every child runs under the group's token");
        b.SeenToken.Should().Be(group.Token, "every child runs under the group's token");
    }

    [Fact]
    public async Task The_first_failure_cancels_the_siblings_and_is_thrown_from_DisposeAsync()
    {
        var group = new TaskGroup(Ct);
        var sibling = new FakeChild();
        group.Start(sibling.RunAsync);
        group.Start(_ => Task.FromException(new InvalidOperationException("child failed")));

        var act = async () => await group.DisposeAsync();

        var thrown = await act.Should().ThrowExactlyAsync<AggregateException>(
            "a failed child must not be silently dropped: the scope's exit rethrows it");
        thrown.Which.InnerExceptions.Should().ContainSingle(
            "the sibling's OperationCanceledException was caused by the group, so it is not a failure of its own")
            .Which.Message.Should().Be("child failed");
        sibling.SawCancellation.Should().BeTrue("the first failure must cancel the siblings (Trio's nursery does)");
    }

    [Fact]
    public async Task Every_failure_is_reported_in_the_order_it_happened()
    {
        var group = new TaskGroup(Ct);
        group.Start(_ => Task.FromException(new InvalidOperationException("first")));
        group.Start(_ => Task.FromException(new ArgumentException("second")));

        var act = async () => await group.DisposeAsync();

        var thrown = await act.Should().ThrowExactlyAsync<AggregateException>();
        thrown.Which.InnerExceptions.Select(e => e.Message).Should().Equal(["first", "second"],
            "await on WhenAll would show only one; a task group must not lose the others");
    }

    [Fact]
    public async Task Cancelling_the_parent_cancels_the_children_and_DisposeAsync_throws_OperationCanceledException()
    {
        using var parent = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var group = new TaskGroup(parent.Token);
        var child = new FakeChild();
        group.Start(child.RunAsync);

        await parent.CancelAsync();
        var act = async () => await group.DisposeAsync();

        await act.Should().ThrowAsync<OperationCanceledException>(
            "the parent scope was cancelled: that is what the caller of the scope must see");
        child.SawCancellation.Should().BeTrue("the group token is linked to the parent token");
    }

    [Fact]
    public async Task Children_may_start_children_and_the_scope_waits_for_them_too()
    {
        var group = new TaskGroup(Ct);
        var parentGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grandchild = new FakeChild();
        group.Start(async ct =>
        {
            await parentGate.Task.WaitAsync(ct);
            group.Start(grandchild.RunAsync);
        });

        var disposing = group.DisposeAsync().AsTask();
        parentGate.SetResult();
        await grandchild.Started.WaitAsync(Ct);
        disposing.IsCompleted.Should().BeFalse(
            "a child started by a child while the group was open belongs to the group: disposal waits for it");
        grandchild.Release();

        await disposing.WaitAsync(Ct);
    }

    [Fact]
    public async Task Starting_a_child_after_the_scope_closed_is_refused()
    {
        var group = new TaskGroup(Ct);
        await group.DisposeAsync();

        var act = () => group.Start(_ => Task.CompletedTask);

        act.Should().ThrowExactly<InvalidOperationException>(
            "a child started after the scope closed would outlive it: that is the fire-and-forget bug");
    }

    [Fact]
    public async Task A_group_whose_children_all_succeed_disposes_quietly()
    {
        var ran = 0;
        await using (var group = new TaskGroup(Ct))
        {
            for (var i = 0; i < 10; i++)
                group.Start(async ct => { await Task.Yield(); Interlocked.Increment(ref ran); });
        }

        ran.Should().Be(10, "leaving the await using block waits for all ten children");
    }

    /// <summary>A scope whose body starts a child and then fails: the shape every test below shares.</summary>
    private static async Task ScopeWhoseBodyFailsAsync(FakeChild child, Func<CancellationToken, Task>? failingChild = null)
    {
        await using var group = new TaskGroup(Ct);
        group.Start(child.RunAsync);
        if (failingChild is not null) group.Start(failingChild);
        throw new FormatException("the body failed");
    }

    [Fact]
    public async Task A_failure_in_the_body_does_not_leave_the_scope_before_the_children_have_finished()
    {
        var child = new FakeChild();

        var scope = ScopeWhoseBodyFailsAsync(child);

        await Task.WhenAny(child.Started, scope);
        if (!child.Started.IsCompleted && scope.Exception?.InnerException is not FormatException)
        {
            await scope; // the scope ended before its child even started: show what ended it
        }
        scope.IsCompleted.Should().BeFalse(
            "the body threw, but its child is still running: the exception leaves the scope only once DisposeAsync has waited for every child (nothing outlives the scope, on the error path too)");
        child.SeenToken.IsCancellationRequested.Should().BeFalse(
            "DisposeAsync runs in the finally of the await using and is not told about the body's exception, so it does not cancel the children: the stub's doc says so");
        child.Release();
        var act = () => scope;
        await act.Should().ThrowExactlyAsync<FormatException>(
            "no child failed, so the body's own exception is what leaves the scope, unchanged (not wrapped, not replaced by an OperationCanceledException)");
    }

    [Fact]
    public async Task A_failure_in_the_body_is_replaced_by_the_childrens_failures_when_a_child_failed_too()
    {
        var child = new FakeChild();

        var act = () => ScopeWhoseBodyFailsAsync(child, _ => Task.FromException(new InvalidOperationException("child failed")));

        var thrown = await act.Should().ThrowExactlyAsync<AggregateException>(
            "DisposeAsync throws the children's failures, and an exception thrown from a finally replaces the one in flight (C#'s rule): the stub's doc says so");
        thrown.Which.InnerExceptions.Should().ContainSingle().Which.Message.Should().Be("child failed");
        child.SawCancellation.Should().BeTrue("the failing child cancelled its sibling, as any child failure does");
    }
}
