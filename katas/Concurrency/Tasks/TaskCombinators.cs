namespace Koans.Concurrency.Tasks;

/// <summary>
/// Kata concurrency.tasks, part 1: running jobs concurrently with <c>Task.WhenAll</c>, and how failures surface.
/// </summary>
/// <remarks>
/// <para>In asyncio, <c>await asyncio.gather(a(), b())</c> runs coroutines concurrently and <c>await a(); await b()</c>
/// runs them one after the other. In .NET a <c>Task</c> is already running when you get it (it is "hot", unlike a
/// Python coroutine object, which does nothing until awaited): calling every job first and awaiting
/// <c>Task.WhenAll</c> afterwards is what makes them concurrent.</para>
/// <para>Each job is a <c>Func&lt;CancellationToken, Task&lt;int&gt;&gt;</c>: calling it starts the job. A null job list
/// is the caller's bug: every method refuses it with <see cref="ArgumentNullException"/> naming
/// <c>jobs</c>.</para>
/// </remarks>
public static class TaskCombinators
{
    /// <summary>
    /// Starts every job (in list order, before awaiting any of them) and returns their results in list order, whatever
    /// order they finish in. If jobs fail, awaiting the returned task throws the <em>first</em> failure in list order
    /// (that is what <c>await Task.WhenAll(...)</c> does: <c>await</c> unwraps the <c>AggregateException</c> and
    /// rethrows its first inner exception).
    /// </summary>
    public static Task<int[]> RunAllAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Runs the jobs one at a time: job <c>i + 1</c> is started only after job <c>i</c> has completed. Returns the
    /// results in list order. (The "forgot to use WhenAll" version: correct, but no concurrency.)
    /// </summary>
    public static Task<int[]> RunSequentiallyAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>
    /// Like <see cref="RunAllAsync"/>, but when jobs fail, the returned task fails with an
    /// <see cref="AggregateException"/> holding <em>every</em> failure (in list order), not just the first.
    /// Like <c>WhenAll</c>, it completes only when every job has finished, even after one has failed.
    /// </summary>
    public static Task<int[]> RunAllReportingEveryFailureAsync(
        IReadOnlyList<Func<CancellationToken, Task<int>>> jobs, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
