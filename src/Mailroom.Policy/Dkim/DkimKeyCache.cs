using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto;

namespace Mailroom.Policy.Dkim;

/// <summary>
/// Public keys already parsed, by the key record's text: BouncyCastle checks an RSA modulus when it builds the key
/// (about 15 ms of CPU for 2048 bits), which would otherwise be paid for every signature of every message. Bounded:
/// past <see cref="Capacity"/> records it starts again empty.
/// </summary>
internal sealed class DkimKeyCache
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, AsymmetricKeyParameter> _keys = new(StringComparer.Ordinal);

    public AsymmetricKeyParameter GetOrAdd(string record, Func<string, AsymmetricKeyParameter> parse)
    {
        if (_keys.TryGetValue(record, out AsymmetricKeyParameter? key))
        {
            return key;
        }

        key = parse(record);
        if (_keys.Count >= Capacity)
        {
            _keys.Clear();
        }

        _keys[record] = key;
        return key;
    }
}
