namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>
/// Provided instrumentation: builds the wait-for graph from the account locks (who holds which account, who waits
/// for which) and names a deadlock the moment it exists, instead of waiting to see whether anything finishes.
/// </summary>
/// <remarks>
/// Each transfer runs under a name (<see cref="RunAs"/>, carried by an <see cref="AsyncLocal{T}"/> into every
/// continuation). <see cref="Settled"/> completes when every expected transfer has either finished or is waiting for
/// an account somebody holds: from then on nothing can change by itself, so it is the fixed point at which the tests
/// look. A deadlock is a cycle in that state. <see cref="Dispose"/> cancels every remaining wait, so a deadlocked
/// test ends instead of leaking stuck tasks.
/// </remarks>
internal sealed class LockTracker(bool pauseAtFirstLock = false) : IAccountObserver, IDisposable
{
    private const string TheTest = "the test";
    private static readonly AsyncLocal<string?> CurrentTransfer = new();

    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Dictionary<int, string> _holderOf = [];
    private readonly Dictionary<string, int> _waitingFor = [];
    private readonly Dictionary<string, List<int>> _holding = [];
    private readonly HashSet<string> _running = [];
    private readonly HashSet<string> _askedForALock = [];
    private readonly List<string> _lockOrder = [];
    private readonly Dictionary<(int Before, int After), string> _orderedPairs = [];
    private readonly List<string> _violations = [];
    private readonly TaskCompletionSource _firstLocksReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _everyTransferAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expected = int.MaxValue;
    private int _finished;

    private static string Caller => CurrentTransfer.Value ?? TheTest;

    public CancellationToken Aborted => _abort.Token;

    /// <summary>Completes when nothing can change any more by itself (every transfer finished or blocked).</summary>
    public Task Settled => _settled.Task;

    /// <summary>Completes when every expected transfer has asked for its first lock (or already finished).</summary>
    public Task EveryTransferHasAskedForALock => _everyTransferAsked.Task;

    /// <summary>Balance changes made without holding the account, described.</summary>
    public string[] Violations { get { lock (_sync) return [.. _violations]; } }

    /// <summary>Pairs of accounts that were locked in both orders, described (empty: one global order).</summary>
    public string[] Inconsistencies
    {
        get
        {
            lock (_sync)
            {
                return [.. _orderedPairs
                    .Where(pair => pair.Key.Before < pair.Key.After && _orderedPairs.ContainsKey((pair.Key.After, pair.Key.Before)))
                    .Select(pair => $"{pair.Value} locked account {pair.Key.Before} before account {pair.Key.After}, but " +
                                    $"{_orderedPairs[(pair.Key.After, pair.Key.Before)]} locked account {pair.Key.After} " +
                                    $"before account {pair.Key.Before}")];
            }
        }
    }

    /// <summary>Every lock taken, in order: "name: account id".</summary>
    public string[] LockOrder { get { lock (_sync) return [.. _lockOrder]; } }

    public string? HolderOf(Account account) { lock (_sync) return _holderOf.GetValueOrDefault(account.Id); }

    /// <summary>The cycle in the wait-for graph, described, or null when there is none.</summary>
    public string? Deadlock
    {
        get
        {
            lock (_sync)
            {
                foreach (var start in _waitingFor.Keys)
                {
                    var path = new List<string>();
                    var transfer = start;
                    while (!path.Contains(transfer) && _waitingFor.TryGetValue(transfer, out var wanted)
                           && _holderOf.TryGetValue(wanted, out var holder))
                    {
                        path.Add(transfer);
                        transfer = holder;
                    }
                    if (!path.Contains(transfer)) continue;
                    var cycle = path.SkipWhile(name => name != transfer);
                    return string.Join("; ", cycle.Select(name =>
                        $"'{name}' holds account {string.Join(" and account ", _holding[name])} and waits for account {_waitingFor[name]}"));
                }
                return null;
            }
        }
    }

    /// <summary>Says how many transfers the test is about to start (<see cref="Settled"/> waits for all of them).</summary>
    public void Expect(int transfers)
    {
        lock (_sync) { _expected = transfers; CheckLocked(); }
    }

    /// <summary>Lets the transfers paused after their first lock go on (only with pauseAtFirstLock).</summary>
    public void ReleaseFirstLocks() => _firstLocksReleased.TrySetResult();

    /// <summary>Runs one transfer under a name the lock events are recorded with.</summary>
    public async Task RunAs(string name, Func<Task> transfer)
    {
        CurrentTransfer.Value = name; // scoped to this async method and everything it awaits
        lock (_sync) { _running.Add(name); _holding[name] = []; }
        try
        {
            await transfer();
        }
        finally
        {
            lock (_sync)
            {
                _running.Remove(name);
                _waitingFor.Remove(name);
                _finished++;
                CheckLocked();
            }
        }
    }

    public void Requested(Account account)
    {
        lock (_sync)
        {
            _waitingFor[Caller] = account.Id;
            _askedForALock.Add(Caller);
            CheckLocked();
        }
    }

    public void GaveUp(Account account)
    {
        lock (_sync) { _waitingFor.Remove(Caller); CheckLocked(); }
    }

    public ValueTask GrantedAsync(Account account)
    {
        bool isFirstLock;
        var caller = Caller;
        lock (_sync)
        {
            _waitingFor.Remove(caller);
            _holderOf[account.Id] = caller;
            var held = _holding.TryGetValue(caller, out var list) ? list : _holding[caller] = [];
            foreach (var before in held) _orderedPairs.TryAdd((before, account.Id), $"'{caller}'");
            held.Add(account.Id);
            _lockOrder.Add($"{caller}: {account.Id}");
            isFirstLock = held.Count == 1;
        }
        // Only transfers pause: a lock the test takes for itself is never held up.
        return pauseAtFirstLock && isFirstLock && caller != TheTest
            ? new ValueTask(_firstLocksReleased.Task)
            : ValueTask.CompletedTask;
    }

    public void Released(Account account)
    {
        lock (_sync)
        {
            _holderOf.Remove(account.Id);
            if (_holding.TryGetValue(Caller, out var held)) held.Remove(account.Id);
            CheckLocked();
        }
    }

    public void BalanceChanging(Account account)
    {
        lock (_sync)
        {
            if (_holderOf.GetValueOrDefault(account.Id) != Caller)
                _violations.Add($"'{Caller}' changed the balance of account {account.Id} without holding its lock");
        }
    }

    public void Dispose()
    {
        _abort.Cancel();
        _abort.Dispose();
    }

    private void CheckLocked()
    {
        var started = _running.Count + _finished;
        if (started < _expected) return;
        if (_running.All(_askedForALock.Contains)) _everyTransferAsked.TrySetResult();
        if (_running.All(name => _waitingFor.TryGetValue(name, out var wanted) && _holderOf.ContainsKey(wanted)))
            _settled.TrySetResult();
    }
}

public class LedgerTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_transfer_moves_the_amount_and_releases_both_accounts()
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 0m, tracker);

        await tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 30m, Ct));
        await tracker.RunAs("b->a", () => Ledger.TransferAsync(b, a, 30m, Ct));
        await tracker.RunAs("all of a->b", () => Ledger.TransferAsync(a, b, 100m, Ct));

        a.Balance.Should().Be(0m, "100 - 30 + 30 - 100; a transfer of the whole balance is allowed");
        b.Balance.Should().Be(100m);
        tracker.HolderOf(a).Should().BeNull("the transfer releases its locks when it ends");
        tracker.HolderOf(b).Should().BeNull("the transfer releases its locks when it ends");
    }

    [Fact]
    public async Task Two_opposite_transfers_at_once_both_complete_with_no_cycle_in_the_wait_for_graph()
    {
        using var tracker = new LockTracker(pauseAtFirstLock: true);
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 100m, tracker);
        tracker.Expect(2);

        var aToB = tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 10m, Ct));
        var bToA = tracker.RunAs("b->a", () => Ledger.TransferAsync(b, a, 30m, Ct));
        // Each transfer that gets a first lock is held there until both have asked for one: the worst interleaving,
        // built on purpose, instead of hoping the scheduler finds it.
        await tracker.EveryTransferHasAskedForALock.WaitAsync(Guard, Ct);
        tracker.ReleaseFirstLocks();
        await tracker.Settled.WaitAsync(Guard, Ct);

        tracker.Deadlock.Should().BeNull(
            "a cycle in the wait-for graph is a deadlock: nothing in it can ever finish. Two transfers that lock their " +
            "arguments in argument order wait for each other when they move money in opposite directions; every " +
            "transfer must take its two locks in one order that all transfers agree on");
        await Task.WhenAll(aToB, bToA);
        a.Balance.Should().Be(120m);
        b.Balance.Should().Be(80m);
    }

    [Fact]
    public async Task Every_pair_of_accounts_is_locked_in_the_same_order_whichever_way_the_money_moves()
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 100m, tracker);
        var c = new Account(3, 100m, tracker);

        await tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 1m, Ct));
        await tracker.RunAs("b->a", () => Ledger.TransferAsync(b, a, 1m, Ct));
        await tracker.RunAs("c->a", () => Ledger.TransferAsync(c, a, 1m, Ct));
        await tracker.RunAs("a->c", () => Ledger.TransferAsync(a, c, 1m, Ct));
        await tracker.RunAs("b->c", () => Ledger.TransferAsync(b, c, 1m, Ct));
        await tracker.RunAs("c->b", () => Ledger.TransferAsync(c, b, 1m, Ct));

        tracker.LockOrder.Should().HaveCount(12, "each transfer locks both of its accounts");
        tracker.Inconsistencies.Should().BeEmpty(
            "two transfers that lock the same two accounts in opposite orders deadlock when they run at once; " +
            "this is found without running them at once, just by recording the order each one locks in");
    }

    [Fact]
    public async Task Balances_change_only_while_the_transfer_holds_both_accounts()
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 100m, tracker);

        await tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 10m, Ct));
        await tracker.RunAs("b->a", () => Ledger.TransferAsync(b, a, 10m, Ct));

        tracker.Violations.Should().BeEmpty(
            "a balance changed by a transfer that does not hold that account's lock races with every other transfer " +
            "touching it (lost updates); lock both accounts, then move the money");
    }

    [Fact]
    public async Task Two_racing_transfers_cannot_overdraw_because_the_balance_is_checked_under_the_lock()
    {
        using var tracker = new LockTracker(pauseAtFirstLock: true);
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 0m, tracker);
        var c = new Account(3, 0m, tracker);
        tracker.Expect(2);

        var toB = tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 80m, Ct));
        var toC = tracker.RunAs("a->c", () => Ledger.TransferAsync(a, c, 80m, Ct));
        await tracker.EveryTransferHasAskedForALock.WaitAsync(Guard, Ct);
        tracker.ReleaseFirstLocks();
        await tracker.Settled.WaitAsync(Guard, Ct);
        tracker.Deadlock.Should().BeNull();
        var outcomes = await Task.WhenAll(Outcome(toB), Outcome(toC));

        a.Balance.Should().Be(20m,
            "100 covers one transfer of 80, not two. A balance checked before taking the lock was true when read " +
            "and false when the money moved (check-then-act); check it while holding the account");
        outcomes.Should().BeEquivalentTo(["completed", nameof(InvalidOperationException)],
            "the second transfer finds 20 left and is refused with InvalidOperationException");
        (b.Balance + c.Balance).Should().Be(80m);
    }

    [Fact]
    public async Task A_transfer_that_would_overdraw_throws_and_changes_nothing()
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 50m, tracker);
        var b = new Account(2, 0m, tracker);

        var act = () => tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 50.01m, Ct));

        await act.Should().ThrowExactlyAsync<InvalidOperationException>("50 does not cover 50.01");
        a.Balance.Should().Be(50m, "a refused transfer moves nothing");
        b.Balance.Should().Be(0m, "a refused transfer moves nothing");
        tracker.HolderOf(a).Should().BeNull("a transfer that throws still releases its locks");
        tracker.HolderOf(b).Should().BeNull("a transfer that throws still releases its locks");
    }

    [Fact]
    public async Task A_transfer_to_the_same_account_is_rejected_instead_of_waiting_for_itself()
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 100m, tracker);
        tracker.Expect(1);

        var toSelf = tracker.RunAs("a->a", () => Ledger.TransferAsync(a, a, 10m, Ct));
        await tracker.Settled.WaitAsync(Guard, Ct);

        tracker.Deadlock.Should().BeNull(
            "the account lock is not re-entrant: a transfer from an account to itself that locks it twice waits for " +
            "itself forever. Reject it before taking any lock");
        var act = () => toSelf;
        await act.Should().ThrowAsync<ArgumentException>("from and to are the same account");
        a.Balance.Should().Be(100m);
    }

    [Fact]
    public async Task A_null_account_is_rejected_by_name()
    {
        var a = new Account(1, 100m);

        var noSource = () => Ledger.TransferAsync(null!, a, 10m, Ct);
        var noTarget = () => Ledger.TransferAsync(a, null!, 10m, Ct);

        (await noSource.Should().ThrowAsync<ArgumentNullException>()).And.ParamName.Should().Be("from");
        (await noTarget.Should().ThrowAsync<ArgumentNullException>()).And.ParamName.Should().Be("to",
            "a NullReferenceException from inside the transfer does not say which argument the caller got wrong");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_zero_or_negative_amount_is_rejected(int amount)
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 100m, tracker);

        var act = () => tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, amount, Ct));

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>(
            "a negative transfer from a to b is a transfer from b to a that skips b's balance check");
        a.Balance.Should().Be(100m);
        b.Balance.Should().Be(100m);
    }

    [Fact]
    public async Task A_transfer_cancelled_while_waiting_for_its_second_lock_releases_the_first()
    {
        using var tracker = new LockTracker();
        var a = new Account(1, 100m, tracker);
        var b = new Account(2, 0m, tracker);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var heldByTheTest = await b.LockAsync(Ct);
        tracker.Expect(1);

        var transfer = tracker.RunAs("a->b", () => Ledger.TransferAsync(a, b, 10m, cts.Token));
        await tracker.Settled.WaitAsync(Guard, Ct); // the transfer now waits for b, which the test holds
        await cts.CancelAsync();
        heldByTheTest.Dispose(); // a transfer that ignored the token would now get b and finish

        var act = () => transfer;
        await act.Should().ThrowAsync<OperationCanceledException>(
            "the transfer's token was cancelled while it waited; pass the token to every lock wait");
        tracker.HolderOf(a).Should().BeNull(
            "a transfer that gives up must release the lock it already holds, or account a stays locked forever");
        a.Balance.Should().Be(100m);
        b.Balance.Should().Be(0m);
    }

    private static async Task<string> Outcome(Task transfer)
    {
        try
        {
            await transfer;
            return "completed";
        }
        catch (InvalidOperationException exception)
        {
            return exception.GetType().Name;
        }
    }
}
