namespace Koans.Concurrency.DataflowAndLocks;

/// <summary>
/// Provided: what an observer (the tests' instrumentation) is told about account locks and balance changes. Every
/// call arrives on the caller's own async flow, so the observer can tell which transfer is asking.
/// </summary>
public interface IAccountObserver
{
    /// <summary>Cancelled when the observer gives up on the run (it then frees every waiter).</summary>
    CancellationToken Aborted { get; }

    /// <summary>The caller starts to wait for <paramref name="account"/>.</summary>
    void Requested(Account account);

    /// <summary>The caller stopped waiting without getting <paramref name="account"/> (cancelled).</summary>
    void GaveUp(Account account);

    /// <summary>The caller now holds <paramref name="account"/>. The observer may pause the caller here.</summary>
    ValueTask GrantedAsync(Account account);

    /// <summary>The caller released <paramref name="account"/>.</summary>
    void Released(Account account);

    /// <summary>The caller is about to change the balance of <paramref name="account"/>.</summary>
    void BalanceChanging(Account account);
}

/// <summary>
/// Provided: a bank account with its own async lock. Ids are unique. The lock is not re-entrant: a caller that holds
/// the account and asks for it again waits for itself, forever.
/// </summary>
public sealed class Account(int id, decimal balance, IAccountObserver? observer = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IAccountObserver? _observer = observer;

    /// <summary>The account's unique id.</summary>
    public int Id { get; } = id;

    /// <summary>The current balance. Read it only while holding the account: another transfer may be changing it.</summary>
    public decimal Balance { get; private set; } = balance;

    /// <summary>
    /// Waits until nobody holds this account, then holds it until the returned handle is disposed (once).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting;
    /// the caller does not hold the account.</exception>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        _observer?.Requested(this);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _observer?.Aborted ?? default);
        try
        {
            await _gate.WaitAsync(wait.Token).ConfigureAwait(false);
            if (wait.IsCancellationRequested)
            {
                // Granted in the same instant as the cancellation (see AsyncLock): give it back, report the cancel.
                _gate.Release();
                wait.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            _observer?.GaveUp(this);
            throw;
        }
        var holding = new Holding(this);
        try
        {
            if (_observer is not null) await _observer.GrantedAsync(this).ConfigureAwait(false);
        }
        catch
        {
            holding.Dispose();
            throw;
        }
        return holding;
    }

    /// <summary>Takes <paramref name="amount"/> out. Checks nothing: deciding whether the money is there is the
    /// caller's job, while it holds the account.</summary>
    public void Withdraw(decimal amount)
    {
        _observer?.BalanceChanging(this);
        Balance -= amount;
    }

    /// <summary>Puts <paramref name="amount"/> in.</summary>
    public void Deposit(decimal amount)
    {
        _observer?.BalanceChanging(this);
        Balance += amount;
    }

    /// <inheritdoc/>
    public override string ToString() => $"account {Id}";

    private sealed class Holding(Account account) : IDisposable
    {
        private Account? _account = account;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _account, null) is not { } held) return;
            held._observer?.Released(held);
            held._gate.Release();
        }
    }
}
