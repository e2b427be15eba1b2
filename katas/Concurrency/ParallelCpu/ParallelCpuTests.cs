namespace Koans.Concurrency.ParallelCpu;

/// <summary>The broken counter this kata fixes (SafeCounter). Not used by the tests: read it, find the race.</summary>
internal sealed class RacyCounter
{
    private long _count;
    public void Increment() => _count++;
    public long Value => _count;
}

/// <summary>The broken cache this kata fixes (SafeCache). Not used by the tests: read it, find the two races.</summary>
internal sealed class RacyCache<TKey, TValue>(Func<TKey, TValue> factory) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _items = [];

    public TValue Get(TKey key)
    {
        if (!_items.TryGetValue(key, out var value))
        {
            value = factory(key);   // two threads can both get here and both run the factory
            _items[key] = value;    // and Dictionary is not safe for concurrent writes at all
        }
        return value;
    }
}

public class ParallelCpuTests
{
    /// <summary>Runs <paramref name="action"/> on <paramref name="threads"/> dedicated threads released together by a barrier.</summary>
    private static void OnManyThreadsAtOnce(int threads, Action<int> action)
    {
        using var barrier = new Barrier(threads);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            barrier.SignalAndWait(); // everyone starts at the same moment: maximum contention
            // An exception escaping a Thread kills the process: carry it back to the test thread instead.
            try { action(i); }
            catch (Exception ex) { errors.Enqueue(ex); }
        })).ToArray();
        foreach (var t in workers) t.Start();
        foreach (var t in workers) t.Join();
        if (errors.TryDequeue(out var first))
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
    }

    [Fact]
    public void SumOfSquares_matches_the_sequential_sum()
    {
        var values = Enumerable.Range(1, 1_000_000).ToArray();
        var expected = values.Sum(v => (long)v * v); // sequential LINQ: the obviously correct answer

        CpuWork.SumOfSquares(values).Should().Be(expected,
            "each worker's partial sum must be added exactly once; a shared 'total +=' from several threads loses updates");
    }

    [Fact]
    public void SumOfSquares_of_nothing_is_zero() =>
        CpuWork.SumOfSquares([]).Should().Be(0);

    // pi(10^5) = 9592: OEIS A006880 (number of primes < 10^n), n = 5.
    [Fact]
    public void CountPrimes_counts_the_9592_primes_below_one_hundred_thousand() =>
        CpuWork.CountPrimes(100_000).Should().Be(9592, "OEIS A006880 gives pi(10^5) = 9592");

    // The primes up to 10 are 2, 3, 5 and 7 (OEIS A000040).
    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(9, 4)]
    [InlineData(10, 4)]
    public void CountPrimes_is_exact_at_the_small_boundaries(int upTo, int primes) =>
        CpuWork.CountPrimes(upTo).Should().Be(primes, $"there are {primes} primes <= {upTo}: 2 is the first, 4 and 9 are squares");

    [Fact]
    public void A_null_array_is_refused_by_name()
    {
        var sum = () => CpuWork.SumOfSquares(null!);
        var squares = () => CpuWork.SquaresInOrder(null!);

        sum.Should().ThrowExactly<ArgumentNullException>("not a NullReferenceException from inside a worker")
            .WithParameterName("values");
        squares.Should().ThrowExactly<ArgumentNullException>("the caller passed 'values', not PLINQ's 'source'")
            .WithParameterName("values");
    }

    [Fact]
    public void SquaresInOrder_keeps_the_input_order()
    {
        var values = Enumerable.Range(0, 100_000).Reverse().ToArray();

        CpuWork.SquaresInOrder(values).Should().Equal(values.Select(v => (long)v * v),
            "PLINQ partitions the input across threads; without AsOrdered() the results come back in any order");
    }

    [Fact]
    public void SafeCounter_loses_no_increment_under_heavy_contention()
    {
        var counter = new SafeCounter();

        OnManyThreadsAtOnce(8, _ => { for (var i = 0; i < 100_000; i++) counter.Increment(); });

        counter.Value.Should().Be(800_000,
            "8 threads x 100 000 increments; any lost increment means the read-add-write is not atomic");
    }

    [Fact]
    public void SafeCache_runs_the_factory_once_for_a_key_requested_by_many_threads_at_once()
    {
        var calls = 0;
        var cache = new SafeCache<string, object>(_ => { Interlocked.Increment(ref calls); return new object(); });
        var results = new object[16];

        OnManyThreadsAtOnce(16, i => results[i] = cache.Get("connection"));

        calls.Should().Be(1,
            "GetOrAdd alone may run the factory once per racing thread; ConcurrentDictionary<TKey, Lazy<TValue>> runs it once");
        results.Distinct().Should().ContainSingle("every caller must get the same instance");
    }

    [Fact]
    public void SafeCache_runs_the_factory_once_per_key_across_many_keys()
    {
        var calls = 0;
        var cache = new SafeCache<int, int>(k => { Interlocked.Increment(ref calls); return k * 2; });

        OnManyThreadsAtOnce(8, _ => { for (var k = 0; k < 1000; k++) cache.Get(k).Should().Be(k * 2); });

        calls.Should().Be(1000, "1000 keys, one factory call each, however many threads asked");
    }

    [Fact]
    public void SafeCache_rejects_a_null_factory()
    {
        var act = () => new SafeCache<string, string>(null!);

        act.Should().ThrowExactly<ArgumentNullException>();
    }
}
