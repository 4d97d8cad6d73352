using Mailroom.Core;
using Microsoft.Extensions.Logging;

namespace Mailroom.Directory.Sql;

/// <summary>
/// Expands one recipient the way Postfix's virtual alias maps do over postfixadmin's tables: an alias row
/// rewrites the address (its self-target, postfixadmin's <c>user@d → user@d</c>, delivers to the mailbox
/// itself); otherwise an active mailbox receives it; otherwise an alias domain maps it to the target domain;
/// otherwise the domain's catch-all <c>@domain</c> applies (virtual(5): the exact address is looked up
/// before <c>@domain</c>). A plus-address <c>user+detail@domain</c> that is neither an alias nor a mailbox itself
/// resolves as <c>user@domain</c> (virtual(5) with <c>recipient_delimiter</c>: the full address, then the base address,
/// then the catch-all). Loops are detected on the current path and depth is bounded. One instance per lookup.
/// </summary>
internal sealed class RecipientResolver
{
    private readonly LookupSession _session;
    private readonly DirectoryQueries _queries;
    private readonly int _maxDepth;
    private readonly ILogger _logger;
    private readonly string _recipient;
    private readonly Dictionary<string, DomainLookup> _domains = new(StringComparer.Ordinal);
    private readonly HashSet<string> _path = new(StringComparer.Ordinal);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly List<string> _local = [];
    private readonly List<string> _external = [];

    public RecipientResolver(LookupSession session, DirectoryQueries queries, int maxDepth, ILogger logger, string recipient)
    {
        _session = session;
        _queries = queries;
        _maxDepth = maxDepth;
        _logger = logger;
        _recipient = recipient;
    }

    /// <summary>Resolves <paramref name="address"/>, a lower-case directory key; <paramref name="delimiters"/> splits plus-addresses.</summary>
    public async Task<RecipientResolution> ResolveAsync(string address, string delimiters, CancellationToken cancellationToken)
    {
        DomainLookup domain = await GetDomainAsync(DomainOf(address), cancellationToken).ConfigureAwait(false);
        if (domain.State == DomainState.NotLocal)
        {
            return RecipientResolution.NotLocal;
        }

        string local = LocalPartOf(address);
        int cut = delimiters.Length == 0 ? -1 : local.IndexOfAny(delimiters.ToCharArray());
        if (cut > 0)
        {
            // The full address first, but only as itself (an alias or mailbox of that name): the base address comes
            // before the alias domain and the catch-all.
            await ExpandAsync(address, 0, exact: true, cancellationToken).ConfigureAwait(false);
            if (_local.Count > 0 || _external.Count > 0)
            {
                return new RecipientResolution(RecipientStatus.Resolved, _local.ToArray(), _external.ToArray());
            }

            _done.Clear();
            await ExpandAsync(local[..cut] + "@" + DomainOf(address), 0, exact: false, cancellationToken).ConfigureAwait(false);
            return _local.Count == 0 && _external.Count == 0
                ? RecipientResolution.Unknown
                : new RecipientResolution(RecipientStatus.Resolved, _local.ToArray(), _external.ToArray()) { Detail = local[(cut + 1)..] };
        }

        await ExpandAsync(address, 0, exact: false, cancellationToken).ConfigureAwait(false);
        return _local.Count == 0 && _external.Count == 0
            ? RecipientResolution.Unknown
            : new RecipientResolution(RecipientStatus.Resolved, _local.ToArray(), _external.ToArray());
    }

    private Task ExpandAsync(string address, int depth, CancellationToken cancellationToken) => ExpandAsync(address, depth, exact: false, cancellationToken);

    private async Task ExpandAsync(string address, int depth, bool exact, CancellationToken cancellationToken)
    {
        if (_done.Contains(address))
        {
            return;
        }

        if (_path.Contains(address))
        {
            _logger.AliasLoop(address, _recipient);
            return;
        }

        if (depth > _maxDepth)
        {
            _logger.AliasDepthExceeded(_recipient, _maxDepth, address);
            return;
        }

        _path.Add(address);
        await ExpandUnvisitedAsync(address, depth, exact, cancellationToken).ConfigureAwait(false);
        _path.Remove(address);
        _done.Add(address);
    }

    private async Task ExpandUnvisitedAsync(string address, int depth, bool exact, CancellationToken cancellationToken)
    {
        string domainName = DomainOf(address);
        DomainLookup domain = await GetDomainAsync(domainName, cancellationToken).ConfigureAwait(false);
        if (domain.State == DomainState.NotLocal)
        {
            AddOnce(_external, address);
            return;
        }

        string? targets = await _queries.GetAliasTargetsAsync(_session, address, cancellationToken).ConfigureAwait(false);
        if (targets is not null)
        {
            await ExpandTargetsAsync(address, address, targets, depth, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await _queries.IsActiveMailboxAsync(_session, address, cancellationToken).ConfigureAwait(false))
        {
            AddOnce(_local, address);
            return;
        }

        if (exact)
        {
            return;
        }

        if (domain.State == DomainState.AliasDomain)
        {
            await ExpandAsync(LocalPartOf(address) + "@" + domain.TargetDomain, depth + 1, cancellationToken).ConfigureAwait(false);
            return;
        }

        string? catchAll = await _queries.GetAliasTargetsAsync(_session, "@" + domainName, cancellationToken).ConfigureAwait(false);
        if (catchAll is not null)
        {
            await ExpandTargetsAsync("@" + domainName, address, catchAll, depth, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ExpandTargetsAsync(string alias, string address, string targets, int depth, CancellationToken cancellationToken)
    {
        foreach (string raw in targets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "@other.example" as a catch-all target rewrites only the domain (Postfix virtual(5)).
            string candidate = raw.StartsWith('@') ? LocalPartOf(address) + raw : raw;
            if (!EmailAddress.TryParse(candidate, out EmailAddress? parsed))
            {
                _logger.InvalidAliasTarget(alias, raw);
                continue;
            }

            string target = parsed!.Key;
            if (string.Equals(target, address, StringComparison.Ordinal))
            {
                // postfixadmin's self-alias: deliver to the mailbox itself, if it is active.
                if (await _queries.IsActiveMailboxAsync(_session, address, cancellationToken).ConfigureAwait(false))
                {
                    AddOnce(_local, address);
                }

                continue;
            }

            await ExpandAsync(target, depth + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DomainLookup> GetDomainAsync(string domain, CancellationToken cancellationToken)
    {
        if (!_domains.TryGetValue(domain, out DomainLookup lookup))
        {
            lookup = await _queries.GetDomainAsync(_session, domain, cancellationToken).ConfigureAwait(false);
            _domains[domain] = lookup;
        }

        return lookup;
    }

    private static void AddOnce(List<string> list, string address)
    {
        if (!list.Contains(address, StringComparer.Ordinal))
        {
            list.Add(address);
        }
    }

    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];

    private static string LocalPartOf(string address) => address[..address.LastIndexOf('@')];
}
