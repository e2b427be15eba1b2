using Xunit;

namespace Koans.Testing.Chain;

/// <summary>
/// Base class for online kata tests: skips when no chain is available, and runs each test in its own
/// evm_snapshot / evm_revert bracket so tests never see each other's blocks, balances or nonces.
/// </summary>
/// <remarks>
/// Snapshots are chain-wide: a kata using this class must run its tests one at a time
/// (<c>[assembly: CollectionBehavior(DisableTestParallelization = true)]</c>).
/// On KOANS_CHAIN=rpc there are no snapshots: tests there must only assert on their own changes.
/// </remarks>
public abstract class ChainTest(AnvilFixture chain) : IAsyncLifetime
{
    private string? snapshot;

    protected AnvilFixture Chain { get; } = chain;

    /// <summary>True when the kata needs Anvil's cheat methods (clock, snapshots): then it skips on KOANS_CHAIN=rpc.</summary>
    protected virtual bool RequiresCheats => false;

    public virtual async ValueTask InitializeAsync()
    {
        if (RequiresCheats)
        {
            Chain.SkipUnlessCheats();
        }
        else
        {
            Chain.SkipIfUnavailable();
        }

        if (Chain.SupportsCheats)
        {
            snapshot = await Chain.SnapshotAsync();
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (snapshot is not null && Chain.UnavailableReason is null)
        {
            await Chain.RevertAsync(snapshot);
            snapshot = null;
        }
    }
}
