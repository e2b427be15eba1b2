using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace Koans.Concurrency.Reactive;

/// <summary>What the search box shows: the results of one query.</summary>
public sealed record SearchResult(string Query, IReadOnlyList<string> Items);

/// <summary>
/// Kata concurrency.reactive: search-as-you-type with Rx.NET (System.Reactive), the RxPY pipeline
/// <c>debounce(...) | distinct_until_changed() | map(search) | switch_latest()</c>.
/// </summary>
public static class LiveSearch
{
    /// <summary>Turns the text of a search box, one value per keystroke, into the results to show.</summary>
    public static IObservable<SearchResult> Create(
        IObservable<string> keystrokes,
        Func<string, IObservable<IReadOnlyList<string>>> search,
        TimeSpan quietPeriod,
        int retries,
        IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(keystrokes);
        ArgumentNullException.ThrowIfNull(search);
        // A null scheduler: Throttle below throws ArgumentNullException("scheduler") itself, at this call.
        ArgumentOutOfRangeException.ThrowIfLessThan(quietPeriod, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);

        return keystrokes
            .Throttle(quietPeriod, scheduler)   // Rx.NET's Throttle is a debounce: the value after a quiet period
            .DistinctUntilChanged()             // "rx" -> "rxj" -> "rx" sends "rx" once
            .Select(query => search(query)
                .Retry(retries + 1)             // Retry(n) counts subscriptions, not retries: 1 try + `retries` more
                .Select(items => new SearchResult(query, items)))
            .Switch();                          // a new query unsubscribes from the previous response: stale results never show
    }
}
