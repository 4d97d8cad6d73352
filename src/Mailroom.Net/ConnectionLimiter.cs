using System.Net;

namespace Mailroom.Net;

/// <summary>
/// Counts open connections in total and per client address (the two checks of Kestrel's ConnectionLimitMiddleware
/// and Postfix's anvil). A slot is taken before the protocol starts and released when the connection closes.
/// </summary>
internal sealed class ConnectionLimiter
{
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly int _maxTotal;
    private readonly int _maxPerAddress;
    private int _total;

    public ConnectionLimiter(int maxTotal, int maxPerAddress)
    {
        _maxTotal = maxTotal;
        _maxPerAddress = maxPerAddress;
    }

    public int Count => Volatile.Read(ref _total);

    /// <summary>Takes a slot for <paramref name="address"/>, or returns why none is free (then nothing is taken).</summary>
    public ConnectionRejection? TryAcquire(IPAddress address)
    {
        lock (_perAddress)
        {
            if (_total >= _maxTotal)
            {
                return ConnectionRejection.TooManyConnections;
            }

            _perAddress.TryGetValue(address, out var count);
            if (_maxPerAddress > 0 && count >= _maxPerAddress)
            {
                return ConnectionRejection.TooManyConnectionsFromAddress;
            }

            _perAddress[address] = count + 1;
            _total++;
            return null;
        }
    }

    public void Release(IPAddress address)
    {
        lock (_perAddress)
        {
            if (!_perAddress.TryGetValue(address, out var count))
            {
                return;
            }

            if (count <= 1)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = count - 1;
            }

            _total--;
        }
    }
}
