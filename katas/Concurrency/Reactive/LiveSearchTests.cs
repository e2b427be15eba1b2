using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace Koans.Concurrency.Reactive;

/// <summary>
/// Time is virtual: a HistoricalScheduler (part of System.Reactive) only moves when the test calls AdvanceBy, so every
/// debounce and every backend latency below happens at an exact, repeatable instant.
/// </summary>
public sealed class LiveSearchTests : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    private readonly HistoricalScheduler clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Subject<string> searchBox = new();
    private readonly FakeBackend backend;
    private readonly List<SearchResult> shown = [];
    private Exception? error;
    private IDisposable? subscription;

    public LiveSearchTests() => backend = new FakeBackend(clock);

    public void Dispose()
    {
        subscription?.Dispose();
        searchBox.Dispose();
    }

    private void Start(int retries = 0) =>
        subscription = LiveSearch.Create(searchBox, backend.Search, Quiet, retries, clock)
            .Subscribe(shown.Add, e => error = e);

    private void Type(string text, int thenWaitMilliseconds)
    {
        searchBox.OnNext(text);
        clock.AdvanceBy(TimeSpan.FromMilliseconds(thenWaitMilliseconds));
    }

    /// <summary>
    /// An instrumented search service on virtual time: records every request (subscription) and every cancellation
    /// (unsubscription before the answer); answers after a per-query latency; fails the first N requests.
    /// </summary>
    private sealed class FakeBackend(IScheduler clock)
    {
        public List<string> Requests { get; } = [];
        public List<string> Cancelled { get; } = [];
        public Func<string, TimeSpan> Latency { get; set; } = _ => TimeSpan.FromMilliseconds(100);
        public int FailuresLeft { get; set; }

        public IObservable<IReadOnlyList<string>> Search(string query) =>
            Observable.Create<IReadOnlyList<string>>(observer =>
            {
                Requests.Add(query);
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    observer.OnError(new HttpRequestException("503 Service Unavailable"));
                    return Disposable.Empty;
                }
                var answered = false;
                var reply = clock.Schedule(Latency(query), () =>
                {
                    answered = true;
                    observer.OnNext([$"{query} 1", $"{query} 2"]);
                    observer.OnCompleted();
                });
                return Disposable.Create(() =>
                {
                    reply.Dispose();
                    if (!answered) Cancelled.Add(query);
                });
            });
    }

    [Fact]
    public void Sends_one_query_once_the_user_stops_typing()
    {
        Start();

        Type("r", 100);
        Type("re", 100);
        Type("rea", 100);
        Type("reac", 249);
        backend.Requests.Should().BeEmpty(
            "the user paused only 249 ms, less than the 250 ms quiet period: is Throttle given the test's scheduler?");

        clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        backend.Requests.Should().Equal(["reac"], "after 250 ms of quiet, exactly one query goes out: the last text, not one per keystroke");
        clock.AdvanceBy(TimeSpan.FromMilliseconds(100));
        shown.Should().ContainSingle("the backend answers 100 ms later and the result is shown")
            .Which.Should().BeEquivalentTo(new SearchResult("reac", ["reac 1", "reac 2"]));
    }

    [Fact]
    public void Sends_a_query_for_each_pause_but_never_the_same_text_twice_in_a_row()
    {
        Start();

        Type("rx", 300);
        Type("rxj", 100);
        Type("rx", 300);   // deleted back to "rx": the same query as the one just sent
        Type("rxjava", 300);

        backend.Requests.Should().Equal(["rx", "rxjava"],
            "\"rxj\" was never quiet for 250 ms, and \"rx\" again would repeat the previous query (DistinctUntilChanged)");
    }

    [Fact]
    public void A_stale_slow_response_is_cancelled_and_never_shown_over_a_newer_one()
    {
        backend.Latency = query => query == "slow" ? TimeSpan.FromMilliseconds(1000) : TimeSpan.FromMilliseconds(100);
        Start();

        Type("slow", 300);  // "slow" sent at 250 ms, would answer at 1250 ms
        Type("fast", 2000); // "fast" sent at 550 ms, answers at 650 ms; the clock runs on past 1250 ms

        backend.Requests.Should().Equal(["slow", "fast"]);
        shown.Select(r => r.Query).Should().Equal(["fast"],
            "the answer to \"slow\" would arrive after the newer query's and overwrite it: Switch drops the old response " +
            "(SelectMany/Merge would show both, in arrival order, and the box would end up showing stale results)");
        backend.Cancelled.Should().Equal(["slow"],
            "switching to the new query unsubscribes from the old one, which cancels the request instead of wasting it");
    }

    [Fact]
    public void Retries_a_failed_search()
    {
        backend.FailuresLeft = 2;
        Start(retries: 2);

        Type("rx", 400);

        backend.Requests.Should().Equal(["rx", "rx", "rx"], "two failures, then a third attempt that succeeds");
        shown.Select(r => r.Query).Should().Equal(["rx"]);
        error.Should().BeNull("the retries absorbed the failures");
    }

    [Fact]
    public void Fails_with_the_last_error_once_the_retries_are_used_up()
    {
        backend.FailuresLeft = int.MaxValue;
        Start(retries: 2);

        Type("rx", 400);

        backend.Requests.Should().HaveCount(3,
            $"retries: 2 means one try and two more, {backend.Requests.Count} requests were sent (Retry(n) counts subscriptions)");
        error.Should().BeOfType<HttpRequestException>("after the last retry the error reaches the subscriber instead of being swallowed");
        shown.Should().BeEmpty();
    }

    [Fact]
    public void Rejects_a_null_search_function_and_negative_retries()
    {
        var nullSearch = () => LiveSearch.Create(searchBox, null!, Quiet, 0, clock);
        nullSearch.Should().Throw<ArgumentNullException>();
        var negativeRetries = () => LiveSearch.Create(searchBox, backend.Search, Quiet, -1, clock);
        negativeRetries.Should().Throw<ArgumentOutOfRangeException>("a negative number of retries means nothing");
    }

    [Fact]
    public void Names_the_argument_it_refuses()
    {
        var noKeystrokes = () => LiveSearch.Create(null!, backend.Search, Quiet, 0, clock);
        var noScheduler = () => LiveSearch.Create(searchBox, backend.Search, Quiet, 0, null!);
        var negativeQuiet = () => LiveSearch.Create(searchBox, backend.Search, TimeSpan.FromMilliseconds(-1), 0, clock);

        noKeystrokes.Should().Throw<ArgumentNullException>(
            "the caller passed 'keystrokes': an error naming an Rx operator's 'source' sends them looking elsewhere")
            .WithParameterName("keystrokes");
        noScheduler.Should().Throw<ArgumentNullException>("without a scheduler there is no clock").WithParameterName("scheduler");
        negativeQuiet.Should().Throw<ArgumentOutOfRangeException>("a quiet period cannot be negative")
            .WithParameterName("quietPeriod");
    }
}
