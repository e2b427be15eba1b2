namespace Koans.Metaprogramming.Decorators;

public interface IPriceService
{
    [Cacheable, Idempotent]
    decimal GetPrice(string sku);

    [Cacheable]
    int GetStock(string sku);

    [Cacheable]
    string? FindAlias(string? sku);

    [Cacheable]
    Task<decimal> GetPriceAsync(string sku);

    [Cacheable]
    string Describe(Sku sku);

    int NextTicket();

    void Reset();

    void Charge(string sku, decimal amount);
}

public sealed class TransientFault(string message) : Exception(message);

/// <summary>A key whose hash code is the same for every value: only Equals tells two of them apart.</summary>
public sealed record Sku(string Code)
{
    public override int GetHashCode() => 42;
}

/// <summary>A scripted fake: counts calls per method, fails as told, hands out tasks the test completes.</summary>
public sealed class ScriptedPriceService(decimal price = 9.99m) : IPriceService
{
    private int _ticket;

    public Dictionary<string, int> Calls { get; } = [];

    /// <summary>Thrown by GetPrice and Charge, in turn, before they start succeeding.</summary>
    public Queue<Exception> Failures { get; } = new();

    /// <summary>Returned by GetPriceAsync, in turn.</summary>
    public Queue<Task<decimal>> AsyncResults { get; } = new();

    public int CallsTo(string method) => Calls.GetValueOrDefault(method);

    public decimal GetPrice(string sku)
    {
        Count(nameof(GetPrice));
        return Failures.TryDequeue(out var failure) ? throw failure : sku == "nope" ? throw new KeyNotFoundException("unknown sku nope") : price;
    }

    public int GetStock(string sku)
    {
        Count(nameof(GetStock));
        return sku.Length;
    }

    public string? FindAlias(string? sku)
    {
        Count(nameof(FindAlias));
        return sku is null ? "no sku" : null;
    }

    public Task<decimal> GetPriceAsync(string sku)
    {
        Count(nameof(GetPriceAsync));
        return AsyncResults.Dequeue();
    }

    public string Describe(Sku sku)
    {
        Count(nameof(Describe));
        return "item " + sku.Code;
    }

    public int NextTicket()
    {
        Count(nameof(NextTicket));
        return ++_ticket;
    }

    public void Reset() => Count(nameof(Reset));

    public void Charge(string sku, decimal amount)
    {
        Count(nameof(Charge));
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }

    private void Count(string method) => Calls[method] = CallsTo(method) + 1;
}

public class DecoratorsTests
{
    private static readonly Func<Exception, bool> TransientOnly = e => e is TransientFault;

    [Fact]
    public void WithLogging_records_each_call_with_its_arguments_and_result()
    {
        var log = new List<string>();
        var service = Decorators.WithLogging<IPriceService>(new ScriptedPriceService(), log);

        service.GetPrice("sku-1").Should().Be(9.99m, "the decorator passes the result through");
        service.FindAlias("sku-1");
        service.Charge("sku-1", 12.5m);
        service.Reset();

        log.Should().Equal(
            ["GetPrice(\"sku-1\") -> 9.99", "FindAlias(\"sku-1\") -> null", "Charge(\"sku-1\", 12.5) -> void", "Reset() -> void"],
            "one entry per call: strings quoted, null as null, numbers in the invariant culture");
    }

    [Fact]
    public void WithLogging_records_an_exception_and_rethrows_the_same_one_with_its_stack_trace()
    {
        var log = new List<string>();
        var service = Decorators.WithLogging<IPriceService>(new ScriptedPriceService(), log);

        var act = () => service.GetPrice("nope");

        var thrown = act.Should().Throw<KeyNotFoundException>(
            "a logging decorator must not swallow the error, or hand the caller a TargetInvocationException").Which;
        thrown.StackTrace.Should().Contain($"{nameof(ScriptedPriceService)}.{nameof(ScriptedPriceService.GetPrice)}(",
            "`throw exception;` restarts the stack trace in the decorator; the trace must still show where it failed");
        log.Should().Equal(["GetPrice(\"nope\") threw KeyNotFoundException: unknown sku nope"],
            "the log names the method's own exception, not reflection's wrapper");
    }

    [Fact]
    public void WithCaching_calls_through_once_per_method_and_argument_values()
    {
        var inner = new ScriptedPriceService();
        var service = Decorators.WithCaching<IPriceService>(inner);

        service.GetPrice("a").Should().Be(9.99m);
        service.GetPrice("a").Should().Be(9.99m);
        service.GetPrice(new string('a', 1)).Should().Be(9.99m);
        service.GetPrice("b");
        service.GetStock("a").Should().Be(1, "GetStock(\"a\") is another call than GetPrice(\"a\"): the method is part of the key");

        inner.CallsTo("GetPrice").Should().Be(2, "\"a\" three times (compared by value: a new string equal to \"a\" is \"a\"), then \"b\"");
        inner.CallsTo("GetStock").Should().Be(1);
    }

    [Fact]
    public void WithCaching_caches_a_null_result_and_a_null_argument()
    {
        var inner = new ScriptedPriceService();
        var service = Decorators.WithCaching<IPriceService>(inner);

        service.FindAlias("x").Should().BeNull();
        service.FindAlias("x").Should().BeNull();
        service.FindAlias(null).Should().Be("no sku");
        service.FindAlias(null).Should().Be("no sku");

        inner.CallsTo("FindAlias").Should().Be(2,
            "null is an answer: a cache that treats a null result as 'not cached' calls through every time; and a null " +
            "argument is a key like any other");
    }

    [Fact]
    public void WithCaching_tells_apart_arguments_whose_hash_codes_are_equal()
    {
        var inner = new ScriptedPriceService();
        var service = Decorators.WithCaching<IPriceService>(inner);

        service.Describe(new Sku("a")).Should().Be("item a");
        service.Describe(new Sku("b")).Should().Be("item b",
            "equal hash codes only mean 'maybe equal': a key that is equal whenever the hashes are, or whenever the " +
            "method matches, answers for \"b\" with what it cached for \"a\"");
        service.Describe(new Sku("a")).Should().Be("item a");

        inner.CallsTo("Describe").Should().Be(2, "\"a\" twice (the second from the cache), \"b\" once");
    }

    [Fact]
    public void WithCaching_leaves_methods_without_the_attribute_alone()
    {
        var inner = new ScriptedPriceService();
        var service = Decorators.WithCaching<IPriceService>(inner);

        service.NextTicket().Should().Be(1);
        service.NextTicket().Should().Be(2, "NextTicket is not [Cacheable]: each call is a new ticket");
        service.Reset();
        service.Reset();

        inner.CallsTo("Reset").Should().Be(2);
    }

    [Fact]
    public void WithCaching_keeps_a_separate_cache_for_each_decorated_object()
    {
        var cheap = Decorators.WithCaching<IPriceService>(new ScriptedPriceService(1m));
        var dear = Decorators.WithCaching<IPriceService>(new ScriptedPriceService(100m));

        cheap.GetPrice("a").Should().Be(1m);
        dear.GetPrice("a").Should().Be(100m,
            "a cache in a static field is shared by every proxy: the second shop would sell at the first shop's price");
    }

    [Fact]
    public void WithCaching_does_not_cache_a_failure()
    {
        var inner = new ScriptedPriceService();
        inner.Failures.Enqueue(new TransientFault("price feed down"));
        var service = Decorators.WithCaching<IPriceService>(inner);

        var first = () => service.GetPrice("a");
        first.Should().Throw<TransientFault>();
        service.GetPrice("a").Should().Be(9.99m, "the first call failed, so there was nothing to cache: call again");
        service.GetPrice("a");

        inner.CallsTo("GetPrice").Should().Be(2);
    }

    [Fact]
    public void WithCaching_shares_a_task_in_flight_and_never_hands_out_a_failed_one()
    {
        var inner = new ScriptedPriceService();
        var failing = new TaskCompletionSource<decimal>();
        var succeeding = new TaskCompletionSource<decimal>();
        inner.AsyncResults.Enqueue(failing.Task);
        inner.AsyncResults.Enqueue(succeeding.Task);
        var service = Decorators.WithCaching<IPriceService>(inner);

        var firstCaller = service.GetPriceAsync("a");
        var secondCaller = service.GetPriceAsync("a");
        secondCaller.Should().BeSameAs(firstCaller, "a call in flight is shared, not started twice");
        failing.SetException(new TransientFault("price feed down"));

        var retry = service.GetPriceAsync("a");
        retry.Should().BeSameAs(succeeding.Task,
            "the cached task failed; caching it would replay the failure for ever (the Lazy<Task> trap)");
        succeeding.SetResult(9.99m);
        service.GetPriceAsync("a").Should().BeSameAs(succeeding.Task, "a task that succeeded is a cached result");

        inner.CallsTo("GetPriceAsync").Should().Be(2);
    }

    [Fact]
    public void WithCaching_never_hands_out_a_cancelled_task()
    {
        var inner = new ScriptedPriceService();
        var cancelled = new TaskCompletionSource<decimal>();
        inner.AsyncResults.Enqueue(cancelled.Task);
        inner.AsyncResults.Enqueue(Task.FromResult(9.99m));
        var service = Decorators.WithCaching<IPriceService>(inner);

        service.GetPriceAsync("a").Should().BeSameAs(cancelled.Task);
        cancelled.SetCanceled(TestContext.Current.CancellationToken);

        service.GetPriceAsync("a").IsCompletedSuccessfully.Should().BeTrue(
            "a cancelled task is not an answer either: checking only IsFaulted replays the cancellation for ever");
        inner.CallsTo("GetPriceAsync").Should().Be(2);
    }

    [Fact]
    public void Decorators_refuse_null_arguments_at_once_by_name()
    {
        var inner = new ScriptedPriceService();

        FluentActions.Invoking(() => Decorators.WithLogging<IPriceService>(null!, []))
            .Should().Throw<ArgumentNullException>("a proxy around nothing would fail at its first call, far from the bug")
            .WithParameterName("inner");
        FluentActions.Invoking(() => Decorators.WithLogging<IPriceService>(inner, null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("log");
        FluentActions.Invoking(() => Decorators.WithCaching<IPriceService>(null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("inner");
        FluentActions.Invoking(() => Decorators.WithRetry<IPriceService>(null!, 3, TransientOnly))
            .Should().Throw<ArgumentNullException>().WithParameterName("inner");
        FluentActions.Invoking(() => Decorators.WithRetry<IPriceService>(inner, 3, null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("isTransient");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void WithRetry_refuses_fewer_than_one_attempt(int maxAttempts)
    {
        var act = () => Decorators.WithRetry<IPriceService>(new ScriptedPriceService(), maxAttempts, TransientOnly);

        act.Should().Throw<ArgumentOutOfRangeException>("zero attempts would never call the method at all")
            .WithParameterName("maxAttempts");
    }

    [Fact]
    public void WithRetry_calls_an_idempotent_method_again_after_transient_failures()
    {
        var inner = new ScriptedPriceService();
        inner.Failures.Enqueue(new TransientFault("attempt 1"));
        inner.Failures.Enqueue(new TransientFault("attempt 2"));
        var seen = new List<Type>();
        var service = Decorators.WithRetry<IPriceService>(inner, maxAttempts: 3, e =>
        {
            seen.Add(e.GetType());
            return e is TransientFault;
        });

        service.GetPrice("a").Should().Be(9.99m, "the third attempt succeeds");

        inner.CallsTo("GetPrice").Should().Be(3);
        seen.Should().Equal([typeof(TransientFault), typeof(TransientFault)],
            "the predicate must see the method's own exception: given a TargetInvocationException it never retries");
    }

    [Fact]
    public void WithRetry_gives_up_after_the_last_attempt_with_the_last_exception()
    {
        var inner = new ScriptedPriceService();
        for (var i = 1; i <= 5; i++)
        {
            inner.Failures.Enqueue(new TransientFault($"attempt {i}"));
        }

        var service = Decorators.WithRetry<IPriceService>(inner, maxAttempts: 3, TransientOnly);
        var act = () => service.GetPrice("a");

        act.Should().Throw<TransientFault>().WithMessage("attempt 3", "three attempts in all, then the last failure propagates");
        inner.CallsTo("GetPrice").Should().Be(3);
    }

    [Fact]
    public void WithRetry_does_not_retry_a_permanent_failure()
    {
        var inner = new ScriptedPriceService();
        var service = Decorators.WithRetry<IPriceService>(inner, maxAttempts: 5, TransientOnly);

        var act = () => service.GetPrice("nope");

        act.Should().Throw<KeyNotFoundException>("an unknown sku stays unknown: retrying only adds load");
        inner.CallsTo("GetPrice").Should().Be(1);
    }

    [Fact]
    public void WithRetry_never_retries_a_method_that_is_not_idempotent()
    {
        var inner = new ScriptedPriceService();
        inner.Failures.Enqueue(new TransientFault("gateway timeout"));
        var service = Decorators.WithRetry<IPriceService>(inner, maxAttempts: 5, TransientOnly);

        var act = () => service.Charge("a", 10m);

        act.Should().Throw<TransientFault>("the charge may have gone through before the timeout");
        inner.CallsTo("Charge").Should().Be(1, "Charge is not [Idempotent]: retrying it could charge the card twice");
    }

    [Fact]
    public void Decorators_compose_in_either_order()
    {
        var retryOutside = new ScriptedPriceService();
        retryOutside.Failures.Enqueue(new TransientFault("attempt 1"));
        retryOutside.Failures.Enqueue(new TransientFault("attempt 2"));
        var everyAttempt = new List<string>();
        Decorators.WithRetry(Decorators.WithLogging<IPriceService>(retryOutside, everyAttempt), 3, TransientOnly)
            .GetPrice("a").Should().Be(9.99m);

        var loggingOutside = new ScriptedPriceService();
        loggingOutside.Failures.Enqueue(new TransientFault("attempt 1"));
        loggingOutside.Failures.Enqueue(new TransientFault("attempt 2"));
        var oneCall = new List<string>();
        var cachedRetriedLogged = Decorators.WithLogging(
            Decorators.WithCaching(Decorators.WithRetry<IPriceService>(loggingOutside, 3, TransientOnly)), oneCall);
        cachedRetriedLogged.GetPrice("a").Should().Be(9.99m);
        cachedRetriedLogged.GetPrice("a").Should().Be(9.99m);

        everyAttempt.Should().Equal(
            ["GetPrice(\"a\") threw TransientFault: attempt 1", "GetPrice(\"a\") threw TransientFault: attempt 2", "GetPrice(\"a\") -> 9.99"],
            "with retry outside, the logging decorator sees each attempt; the retry decorator sees the exception " +
            "the logging proxy rethrew, which must still be the TransientFault");
        oneCall.Should().Equal(["GetPrice(\"a\") -> 9.99", "GetPrice(\"a\") -> 9.99"],
            "with logging outside, each caller's call is logged once");
        loggingOutside.CallsTo("GetPrice").Should().Be(3, "three attempts for the first call, the cache for the second");
    }
}
