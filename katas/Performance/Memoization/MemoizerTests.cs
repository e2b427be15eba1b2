using System.Collections.Concurrent;
using Koans.Testing;

namespace Koans.Performance.Memoization;

public class MemoizerTests
{
    private const int Callers = 8;

    /// <summary>Only a hang guard: a correct memoizer never comes near it. The kata's timeout is longer.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public void Get_returns_the_factorys_result_and_runs_it_once_per_key()
    {
        var runs = new ConcurrentDictionary<string, int>();
        var memo = new Memoizer<string, string>(key =>
        {
            runs.AddOrUpdate(key, 1, (_, n) => n + 1);
            return new string(key.ToUpperInvariant());
        });

        var first = memo.Get("alpha");
        first.Should().Be("ALPHA");
        memo.Get("alpha").Should().BeSameAs(first, "a hit returns the cached result, not a new one");
        memo.Get("beta").Should().Be("BETA", "each key has its own result");
        memo.Get("alpha").Should().BeSameAs(first);
        runs.Should().BeEquivalentTo(new Dictionary<string, int> { ["alpha"] = 1, ["beta"] = 1 },
            "the factory runs once per key, however often the key is asked for");
    }

    [Fact]
    public void Get_compares_keys_with_the_given_comparer()
    {
        var runs = 0;
        var ignoringCase = new Memoizer<string, int>(key => ++runs, StringComparer.OrdinalIgnoreCase);
        ignoringCase.Get("Tenant").Should().Be(1);
        ignoringCase.Get("TENANT").Should().Be(1, "\"Tenant\" and \"TENANT\" are one key under OrdinalIgnoreCase");

        runs = 0;
        var byDefault = new Memoizer<string, int>(key => ++runs);
        byDefault.Get("Tenant").Should().Be(1);
        byDefault.Get("TENANT").Should().Be(2, "without a comparer, keys are compared with the default (ordinal) equality");
    }

    [Fact]
    public async Task Get_runs_the_factory_once_when_many_threads_miss_at_once()
    {
        // The naive memoizer's factory waits until every caller is inside it: nothing is stored until then, so every
        // caller misses, deterministically.
        var naiveFactory = new GatedFactory(arrivals: null);
        var naive = new NaiveMemoizer<string, string>(naiveFactory.Create);
        await CallAtOnceAsync(() => naive.Get("report"));
        naiveFactory.GateTimedOut.Should().BeFalse("all the naive memoizer's callers ran its factory at once");
        naiveFactory.Runs.Should().Be(Callers,
            "the check must bite: ConcurrentDictionary.GetOrAdd(key, factory) lets every thread that missed run the factory");

        var arrivals = new ArrivalComparer(Callers);
        var factory = new GatedFactory(arrivals);
        var memo = new Memoizer<string, string>(factory.Create, arrivals);
        var outcomes = await CallAtOnceAsync(() => memo.Get("report"));

        factory.GateTimedOut.Should().BeFalse(
            $"the factory waited for all {Callers} callers to look the key up (each hashes it through the comparer), and " +
            $"only {arrivals.Arrived} did within {HangGuard.TotalSeconds} s: is a lock keeping them out while the factory runs?");
        outcomes.Should().OnlyContain(o => o.Error == null);
        factory.Runs.Should().Be(1,
            $"{Callers} threads asked for the same missing key at once: one runs the factory, the others wait for its result");
        outcomes.Select(o => o.Value).Should().OnlyContain(v => ReferenceEquals(v, outcomes[0].Value),
            "every caller gets the one result, the same instance");
    }

    [Fact]
    public async Task Get_shares_one_failure_among_its_waiters_and_does_not_keep_it()
    {
        var arrivals = new ArrivalComparer(Callers);
        // The run fails only once every other caller has found the entry in the cache: a caller that has merely hashed
        // the key when the failed entry is evicted arrives after the failure, and may rightly start a new run.
        var factory = new GatedFactory(arrivals) { Failing = true, WaitUntilTheEntryIsShared = true };
        var memo = new Memoizer<string, string>(factory.Create, arrivals);

        var outcomes = await CallAtOnceAsync(() => memo.Get("report"));

        factory.GateTimedOut.Should().BeFalse(
            $"the factory waited until the other {Callers - 1} callers had found the key's entry in the cache, and only " +
            $"{arrivals.Found} did: is a lock held while the factory runs, or does every caller run the factory itself?");
        outcomes.Should().OnlyContain(o => o.Error is TimeoutException,
            "every caller waiting for the failed run gets the factory's own exception (not a wrapper, not a default value)");
        factory.Runs.Should().BeLessThan(Callers / 2,
            "the waiters share the one failed run; re-running the factory once per waiter turns one timeout into a " +
            "stampede on the struggling backend (only a caller that arrives after the failure starts a new run)");

        factory.Failing = false;
        var runsBefore = factory.Runs;
        memo.Get("report").Should().Be("REPORT", "the failure is not cached: the next Get runs the factory again, and it succeeds now");
        factory.Runs.Should().Be(runsBefore + 1);
    }

    [Fact]
    public void Get_runs_the_factory_again_after_it_failed()
    {
        var naiveRuns = 0;
        var naive = new NaiveLazyMemoizer<string, string>(key => ++naiveRuns == 1 ? throw new InvalidOperationException("transient") : key);
        FluentActions.Invoking(() => naive.Get("k")).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => naive.Get("k")).Should().Throw<InvalidOperationException>(
            "the check must bite: a Lazy<T> that ran a throwing factory caches the exception and rethrows it forever");

        var runs = 0;
        var memo = new Memoizer<string, string>(key => ++runs == 1 ? throw new InvalidOperationException("transient") : key);
        FluentActions.Invoking(() => memo.Get("k")).Should().Throw<InvalidOperationException>()
            .WithMessage("transient", "the caller gets the factory's own exception");
        memo.Get("k").Should().Be("k",
            "a failure is not cached: after it the key is as if never asked for, and the next Get runs the factory again");
        memo.Get("k").Should().Be("k");
        runs.Should().Be(2, "one failed run, one successful run, then hits");
    }

    [Fact]
    public async Task Get_of_other_keys_is_not_blocked_while_a_factory_runs()
    {
        var token = TestContext.Current.CancellationToken;
        var slowEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var memo = new Memoizer<string, string>(key =>
        {
            if (key == "slow")
            {
                slowEntered.SetResult();
                releaseSlow.Task.Wait(HangGuard);
            }

            return key.ToUpperInvariant();
        });
        memo.Get("cached").Should().Be("CACHED");

        var slow = Task.Factory.StartNew(() => memo.Get("slow"), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await slowEntered.Task.WaitAsync(HangGuard, token);
            var others = Task.Factory.StartNew(() => (memo.Get("other"), memo.Get("cached")), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var finished = true;
            try
            {
                await others.WaitAsync(HangGuard, token);
            }
            catch (TimeoutException)
            {
                finished = false;
            }

            finished.Should().BeTrue(
                "a Get of another key, and a hit, must not wait for the factory of \"slow\", which is still running: " +
                "hold no lock while a factory runs (a slow tenant must not stall every other tenant)");
            (await others).Should().Be(("OTHER", "CACHED"));
            slow.IsCompleted.Should().BeFalse("the slow factory was still running all along");
        }
        finally
        {
            releaseSlow.TrySetResult();
        }

        (await slow.WaitAsync(HangGuard, token)).Should().Be("SLOW");
    }

    [Fact]
    public void Get_of_a_cached_key_allocates_nothing()
    {
        var naive = new NaiveLazyMemoizer<string, int>(key => key.Length);
        Allocations.Measure(() => naive.Get("tenant-42")).Should().BeGreaterThan(0,
            "the budget must bite: a lambda that captures the factory, written inline in Get, is a new delegate on every call");

        var memo = new Memoizer<string, int>(key => key.Length);
        memo.Get("tenant-42").Should().Be(9);
        Allocations.Measure(() => memo.Get("tenant-42")).Should().Be(0,
            "a hit is a lookup and a read: build anything the miss path needs once, not per call");
    }

    [Fact]
    public void Memoizer_rejects_a_null_factory_and_a_null_key()
    {
        FluentActions.Invoking(() => new Memoizer<string, string>(null!)).Should().Throw<ArgumentNullException>();
        var memo = new Memoizer<string, string>(key => key);
        FluentActions.Invoking(() => memo.Get(null!)).Should().Throw<ArgumentNullException>();
    }

    /// <summary>
    /// <see cref="Callers"/> dedicated threads meet at a barrier, then all call <paramref name="get"/>; what each got
    /// or threw. (A stub's NotImplementedException is thrown before this is reached.)
    /// </summary>
    private static async Task<Outcome[]> CallAtOnceAsync(Func<string> get)
    {
        using var barrier = new Barrier(Callers);
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Factory.StartNew(() =>
        {
            barrier.SignalAndWait(HangGuard);
            try
            {
                return new Outcome(get(), null);
            }
            catch (Exception e)
            {
                return new Outcome(null, e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        return await Task.WhenAll(callers).WaitAsync(HangGuard * 2, TestContext.Current.CancellationToken);
    }

    private sealed record Outcome(string? Value, Exception? Error);

    /// <summary>
    /// Ordinal string equality that records which threads have hashed a key: a thread inside <c>Get</c> has looked
    /// the key up. Completes <see cref="AllArrived"/> once <c>expected</c> different threads have. It also records
    /// which threads have compared a key with a stored one: a lookup that meets the stored key has found its entry.
    /// Completes <see cref="AllOthersFound"/> once <c>expected - 1</c> threads have (all but the one that added it).
    /// </summary>
    private sealed class ArrivalComparer(int expected) : IEqualityComparer<string>
    {
        private readonly ConcurrentDictionary<int, bool> _threads = new();
        private readonly ConcurrentDictionary<int, bool> _finders = new();

        public TaskCompletionSource AllArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource AllOthersFound { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Arrived => _threads.Count;

        public int Found => _finders.Count;

        public bool Equals(string? x, string? y)
        {
            if (_finders.TryAdd(Environment.CurrentManagedThreadId, true) && _finders.Count >= expected - 1)
            {
                AllOthersFound.TrySetResult();
            }

            return string.Equals(x, y, StringComparison.Ordinal);
        }

        public int GetHashCode(string obj)
        {
            if (_threads.TryAdd(Environment.CurrentManagedThreadId, true) && _threads.Count >= expected)
            {
                AllArrived.TrySetResult();
            }

            return StringComparer.Ordinal.GetHashCode(obj);
        }
    }

    /// <summary>
    /// A factory that counts its runs and, before answering, waits until every caller is inside <c>Get</c> (has
    /// hashed the key through <paramref name="arrivals"/>), so the callers really do contend; without a comparer,
    /// until every caller is inside the factory itself. Then returns a new upper-case string, or throws
    /// <see cref="TimeoutException"/> while <see cref="Failing"/>.
    /// </summary>
    private sealed class GatedFactory(ArrivalComparer? arrivals)
    {
        private readonly TaskCompletionSource _allInside = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public bool Failing { get; set; }

        /// <summary>Wait until every other caller has found the entry (<see cref="ArrivalComparer.AllOthersFound"/>), not only looked the key up.</summary>
        public bool WaitUntilTheEntryIsShared { get; init; }

        public bool GateTimedOut { get; private set; }

        public string Create(string key)
        {
            if (Interlocked.Increment(ref _runs) == Callers)
            {
                _allInside.TrySetResult();
            }

            var gate = arrivals is null ? _allInside.Task
                : WaitUntilTheEntryIsShared ? arrivals.AllOthersFound.Task
                : arrivals.AllArrived.Task;
            if (!gate.Wait(HangGuard))
            {
                GateTimedOut = true;
            }

            return Failing ? throw new TimeoutException("the backend timed out") : new string(key.ToUpperInvariant());
        }
    }
}
