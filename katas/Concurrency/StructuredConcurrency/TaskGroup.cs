namespace Koans.Concurrency.StructuredConcurrency;

/// <summary>
/// Kata concurrency.structured-concurrency: a task group in the spirit of Trio's nursery and Python 3.11's
/// <c>asyncio.TaskGroup</c>.
/// </summary>
/// <remarks>
/// <para>Usage:</para>
/// <code>
/// await using (var group = new TaskGroup(cancellationToken))
/// {
///     group.Start(ct => DownloadAsync("a", ct));
///     group.Start(ct => DownloadAsync("b", ct));
/// } // DisposeAsync waits for both; a failure in one cancels the other; failures are thrown here.
/// </code>
/// <para>The rules (Trio's): every child runs with the group's token; nothing outlives the scope (disposal waits for
/// every child, including children started by children while the group is open); the first failure cancels the
/// siblings; no failure is lost.</para>
/// <para>A failure in the body of the <c>await using</c> (the code between the braces): the group never sees it, since
/// <see cref="DisposeAsync"/> runs in a <c>finally</c> and is not told. So the children are <em>not</em> cancelled
/// by it; the exception leaves the scope only once every child has finished. If no child failed, the body's exception
/// propagates unchanged; if a child failed, the <see cref="AggregateException"/> from <see cref="DisposeAsync"/>
/// replaces it (C#'s rule for an exception thrown from a <c>finally</c>). This is where a .NET task group differs
/// from Trio, whose nursery cancels its children when the body raises.</para>
/// <para>.NET has no built-in nursery: fire-and-forget tasks (<c>_ = DoAsync()</c>, <c>Task.Run</c> without await)
/// are the unstructured default, and their exceptions vanish. Build the structure yourself.</para>
/// </remarks>
public sealed class TaskGroup : IAsyncDisposable
{
    /// <summary>Creates an open group whose token is linked to <paramref name="cancellationToken"/> (the parent scope).</summary>
    public TaskGroup(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// The token every child receives. It is cancelled when the parent token is cancelled or when any child fails.
    /// </summary>
    public CancellationToken Token => throw new NotImplementedException();

    /// <summary>
    /// Starts <paramref name="child"/> now, passing it <see cref="Token"/>. A child that throws (anything other than
    /// an <see cref="OperationCanceledException"/> caused by the group's own cancellation) is a failure: record it and
    /// cancel <see cref="Token"/> so the siblings stop.
    /// </summary>
    /// <exception cref="InvalidOperationException">The group has been disposed: nothing may outlive the scope.</exception>
    public void Start(Func<CancellationToken, Task> child) => throw new NotImplementedException();

    /// <summary>
    /// Waits until every child has finished (children may start more children meanwhile), then closes the group.
    /// <list type="bullet">
    /// <item><description>If any child failed: throws an <see cref="AggregateException"/> holding every failure, in
    /// the order they happened. Cancellations caused by the group are not failures.</description></item>
    /// <item><description>Else, if the parent token was cancelled: throws <see cref="OperationCanceledException"/>.</description></item>
    /// </list>
    /// </summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
