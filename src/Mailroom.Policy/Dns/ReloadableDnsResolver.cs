using System.Net;

namespace Mailroom.Policy.Dns;

/// <summary>
/// The server's one <see cref="IDnsResolver"/> as every check holds it (SPF, DKIM, DMARC, ARC, the DNS lists and the
/// queue's MX lookups), forwarding to a resolver that a SIGHUP can replace: <see cref="Replace"/> swaps it in one
/// atomic step, a lookup that has started finishes on the resolver it started on, and every lookup after the swap
/// goes to the new one (with its own, empty answer cache).
/// </summary>
public sealed class ReloadableDnsResolver(IDnsResolver initial) : IDnsResolver
{
    private IDnsResolver _current = initial ?? throw new ArgumentNullException(nameof(initial));

    /// <summary>The resolver new lookups go to.</summary>
    public IDnsResolver Current => Volatile.Read(ref _current);

    /// <summary>Makes <paramref name="next"/> answer every lookup from now on; returns the one it replaces.</summary>
    public IDnsResolver Replace(IDnsResolver next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Interlocked.Exchange(ref _current, next);
    }

    public ValueTask<DnsLookup<string>> LookupTxtAsync(string name, CancellationToken cancellationToken) =>
        Current.LookupTxtAsync(name, cancellationToken);

    public ValueTask<DnsLookup<IPAddress>> LookupAddressAsync(string name, bool ipv6, CancellationToken cancellationToken) =>
        Current.LookupAddressAsync(name, ipv6, cancellationToken);

    public ValueTask<DnsLookup<MxHost>> LookupMxAsync(string name, CancellationToken cancellationToken) =>
        Current.LookupMxAsync(name, cancellationToken);

    public ValueTask<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken cancellationToken) =>
        Current.LookupPtrAsync(address, cancellationToken);
}
