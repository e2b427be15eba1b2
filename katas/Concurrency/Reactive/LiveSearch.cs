using System.Reactive.Concurrency;

namespace Koans.Concurrency.Reactive;

/// <summary>What the search box shows: the results of one query.</summary>
public sealed record SearchResult(string Query, IReadOnlyList<string> Items);

/// <summary>
/// Kata concurrency.reactive: search-as-you-type with Rx.NET (System.Reactive), the RxPY pipeline
/// <c>debounce(...) | distinct_until_changed() | map(search) | switch_latest()</c>.
/// </summary>
public static class LiveSearch
{
    /// <summary>
    /// Turns the text of a search box, one value per keystroke, into the results to show.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>Debounce: send a query only once the text has stayed the same for <paramref name="quietPeriod"/>
    /// (Rx calls it <c>Throttle</c>). Pass <paramref name="scheduler"/> to every time-based operator: that is how a test
    /// drives time with a <c>HistoricalScheduler</c>; without it the operator runs on the real clock.</description></item>
    /// <item><description>Do not send the same query twice in a row (the user typed "rx", then "rxj", then deleted back to "rx").</description></item>
    /// <item><description>Only the latest query's results may be shown: when a new query is sent, unsubscribe from the
    /// previous one's response (which cancels it) so a slow, stale response can never overwrite a newer one.</description></item>
    /// <item><description><paramref name="search"/> returns a cold observable: each subscription sends one request. If it
    /// fails, subscribe again, up to <paramref name="retries"/> more times; if it still fails, the returned observable
    /// fails with that error.</description></item>
    /// </list>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quietPeriod"/> is negative or <paramref name="retries"/> is negative.</exception>
    public static IObservable<SearchResult> Create(
        IObservable<string> keystrokes,
        Func<string, IObservable<IReadOnlyList<string>>> search,
        TimeSpan quietPeriod,
        int retries,
        IScheduler scheduler) =>
        throw new NotImplementedException();
}
