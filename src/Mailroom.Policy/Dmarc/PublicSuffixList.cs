using System.Globalization;

namespace Mailroom.Policy.Dmarc;

/// <summary>
/// The Public Suffix List (publicsuffix.org's algorithm) for RFC 7489 §3.2 organizational domains, read from the file
/// Debian's <c>publicsuffix</c> package installs and reloaded when that file changes (checked at most once a minute),
/// so a package update takes effect without a restart. Without the file, only the default rule <c>*</c> applies
/// (the organizational domain is the last two labels).
/// </summary>
public sealed class PublicSuffixList
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Rules _rules = Rules.Empty;
    private DateTime _stamp = DateTime.MinValue;
    private DateTimeOffset _checked = DateTimeOffset.MinValue;

    public PublicSuffixList(string path, TimeProvider timeProvider)
    {
        _path = path;
        _time = timeProvider;
    }

    /// <summary>Rules loaded from the file (0 when it is missing).</summary>
    public int RuleCount => Current.Count;

    /// <summary>The registered domain of <paramref name="domain"/>: its public suffix plus one label; the name itself when it is a suffix.</summary>
    public string OrganizationalDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string[] labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        int suffix = Current.SuffixLabels(labels);
        return suffix >= labels.Length ? string.Join('.', labels) : string.Join('.', labels[^(suffix + 1)..]);
    }

    private Rules Current
    {
        get
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (now - _checked < CheckInterval)
            {
                return _rules;
            }

            lock (_gate)
            {
                _checked = now;
                DateTime stamp = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
                if (stamp != _stamp)
                {
                    _rules = stamp == DateTime.MinValue ? Rules.Empty : Rules.Load(_path);
                    _stamp = stamp;
                }

                return _rules;
            }
        }
    }

    private sealed class Rules
    {
        private readonly HashSet<string> _exact;
        private readonly HashSet<string> _wildcard;
        private readonly HashSet<string> _exceptions;

        private Rules(HashSet<string> exact, HashSet<string> wildcard, HashSet<string> exceptions)
        {
            _exact = exact;
            _wildcard = wildcard;
            _exceptions = exceptions;
        }

        public static Rules Empty { get; } = new([], [], []);

        public int Count => _exact.Count + _wildcard.Count + _exceptions.Count;

        public static Rules Load(string path)
        {
            var exact = new HashSet<string>(StringComparer.Ordinal);
            var wildcard = new HashSet<string>(StringComparer.Ordinal);
            var exceptions = new HashSet<string>(StringComparer.Ordinal);
            foreach (string raw in File.ReadLines(path))
            {
                string line = raw.Trim();
                int space = line.IndexOfAny([' ', '\t']);
                if (space > 0)
                {
                    line = line[..space];
                }

                if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                line = ToAscii(line.ToLowerInvariant());
                if (line.StartsWith('!'))
                {
                    exceptions.Add(line[1..]);
                }
                else if (line.StartsWith("*.", StringComparison.Ordinal))
                {
                    wildcard.Add(line[2..]);
                }
                else
                {
                    exact.Add(line);
                }
            }

            return new Rules(exact, wildcard, exceptions);
        }

        /// <summary>How many labels on the right form the public suffix (the prevailing rule; at least 1).</summary>
        public int SuffixLabels(string[] labels)
        {
            int best = 1;
            for (int n = 1; n <= labels.Length; n++)
            {
                string candidate = string.Join('.', labels[^n..]);
                if (_exceptions.Contains(candidate))
                {
                    // An exception rule wins and its suffix is the rule minus its leftmost label.
                    return n - 1;
                }

                if (_exact.Contains(candidate))
                {
                    best = Math.Max(best, n);
                }

                if (n < labels.Length && _wildcard.Contains(candidate))
                {
                    best = Math.Max(best, n + 1);
                }
            }

            return best;
        }

        private static string ToAscii(string rule)
        {
            string prefix = rule.StartsWith('!') ? "!" : rule.StartsWith("*.", StringComparison.Ordinal) ? "*." : "";
            try
            {
                return prefix + new IdnMapping().GetAscii(rule[prefix.Length..]);
            }
            catch (ArgumentException)
            {
                return rule;
            }
        }
    }
}
