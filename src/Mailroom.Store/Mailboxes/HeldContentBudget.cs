namespace Mailroom.Store.Mailboxes;

/// <summary>
/// The store-wide bound on expunged messages whose content is kept for sessions that still show them
/// (<see cref="StoreOptions.MaxHeldExpungedMessages"/>): each is an open file handle (Maildir) or its bytes (memory),
/// so the count is bounded across every folder, not per folder. Thread-safe.
/// </summary>
internal sealed class HeldContentBudget
{
    private readonly int _capacity;
    private int _held;

    public HeldContentBudget(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>How many are held now, in every folder.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Takes one place; false when the bound is reached.</summary>
    public bool TryTake()
    {
        while (true)
        {
            int held = Volatile.Read(ref _held);
            if (held >= _capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _held, held + 1, held) == held)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back places taken with <see cref="TryTake"/>.</summary>
    public void Return(int count) => Interlocked.Add(ref _held, -count);
}
