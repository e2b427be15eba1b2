namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>Reference: transfers that take their two locks in one global order (ascending account id).</summary>
public static class Ledger
{
    public static async Task TransferAsync(Account from, Account to, decimal amount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        // The account lock is not re-entrant: locking the same account twice would wait for itself forever.
        if (from.Id == to.Id) throw new ArgumentException("A transfer needs two different accounts.", nameof(to));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);

        // Every transfer locks the lower id first, whichever way the money moves. A cycle in the wait-for graph
        // would need some transfer to hold a higher id while waiting for a lower one, and none ever does.
        var (first, second) = from.Id < to.Id ? (from, to) : (to, from);
        using (await first.LockAsync(cancellationToken))
        using (await second.LockAsync(cancellationToken))
        {
            // Checked under both locks: a balance read before locking can be stale by the time the money moves.
            if (from.Balance < amount)
                throw new InvalidOperationException($"{from} holds {from.Balance}, less than {amount}.");
            from.Withdraw(amount);
            to.Deposit(amount);
        }
    }
}
