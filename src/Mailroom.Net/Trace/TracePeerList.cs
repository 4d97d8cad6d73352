using System.Net;

namespace Mailroom.Net.Trace;

/// <summary>The parsed <c>Log:TracePeers</c>: networks matched at connect, user names matched at login.</summary>
internal sealed class TracePeerList
{
    private readonly IReadOnlyList<IPNetwork> _networks;
    private readonly HashSet<string> _users;

    private TracePeerList(IReadOnlyList<IPNetwork> networks, HashSet<string> users)
    {
        _networks = networks;
        _users = users;
    }

    public bool IsEmpty => _networks.Count == 0 && _users.Count == 0;

    public bool HasUsers => _users.Count > 0;

    /// <summary>
    /// An entry that parses as an address or CIDR is a network; any other (<c>ann@example.org</c>, <c>ann</c>) is a
    /// user name, compared without case as logins are.
    /// </summary>
    public static TracePeerList Parse(IEnumerable<string> entries)
    {
        var networks = new List<IPNetwork>();
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string raw in entries)
        {
            string entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (NetworkList.TryParse([entry], out IReadOnlyList<IPNetwork> parsed, out _))
            {
                networks.AddRange(parsed);
            }
            else
            {
                users.Add(entry);
            }
        }

        return new TracePeerList(networks, users);
    }

    public bool Matches(IPAddress address) => _networks.Count > 0 && NetworkList.Contains(_networks, address);

    public bool Matches(string user) => _users.Contains(user);
}
