namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>
/// Kata concurrency.dataflow-and-locks, part 3: a lock-ordering deadlock, found and fixed.
/// </summary>
/// <remarks>
/// <para>This is the transfer the bank ran until two customers paid each other at the same moment:</para>
/// <code>
/// using (await from.LockAsync(token))
/// using (await to.LockAsync(token))
/// {
///     if (from.Balance &lt; amount) throw new InvalidOperationException("insufficient funds");
///     from.Withdraw(amount);
///     to.Deposit(amount);
/// }
/// </code>
/// <para>Transfer A→B holds A and waits for B; transfer B→A holds B and waits for A. Neither ever finishes, no
/// exception is thrown, and every later transfer touching A or B queues up behind them. Rewrite it so that no set of
/// concurrent transfers can ever wait for each other in a circle (the tests build the wait-for graph from the
/// account locks and fail naming any cycle), whatever order the callers pass the accounts in.</para>
/// <para>Python's counterpart is the same bug with <c>threading.Lock</c> or <c>asyncio.Lock</c>: neither detects
/// it for you.</para>
/// </remarks>
public static class Ledger
{
    /// <summary>
    /// Moves <paramref name="amount"/> from <paramref name="from"/> to <paramref name="to"/>, holding both accounts'
    /// locks while it reads the balance and moves the money, and releasing both however it ends.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="from"/> or <paramref name="to"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="from"/> and <paramref name="to"/> are the same account
    /// (thrown before taking any lock: the lock is not re-entrant).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or negative.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="from"/> holds less than <paramref name="amount"/>
    /// at the moment of the transfer; no balance changes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting
    /// for a lock; no balance changes and no lock stays held.</exception>
    public static Task TransferAsync(Account from, Account to, decimal amount, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
