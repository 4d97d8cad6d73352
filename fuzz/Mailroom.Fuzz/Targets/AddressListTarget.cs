using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Fuzz.Targets;

/// <summary>
/// The RFC 5322 address-list parser behind ENVELOPE (From, Sender, Reply-To, To, Cc, Bcc): display names, quoted
/// strings, comments, groups, routes, obsolete syntax, encoded words. The value is a header's unfolded text. It is
/// parsed twice, with room for every address and with a small limit (1 to 8, from the input's length): the cut list
/// holds at most one entry past the limit (the end of a group the cut left open), is the start of the whole list, and
/// both are well-formed ENVELOPE lists (groups opened and closed in turn, every address with a mailbox and a host).
/// </summary>
internal sealed class AddressListTarget : FuzzTarget
{
    /// <summary>Far more entries than any input of <see cref="MaxLength"/> bytes can hold.</summary>
    private const int Unlimited = 1 << 20;

    public override string Name => "imap-address-list";

    public override string Description => "ENVELOPE address lists: names, comments, groups, routes, obsolete forms, the list limit";

    public override int MaxLength => 16 * 1024;

    public override string? Dictionary => "mime.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string value = Encoding.UTF8.GetString(input);
        List<ImapAddress> all = AddressListParser.Parse(value, Unlimited);
        CheckList(all, value.Length, "whole list");
        if (all.Count > input.Length + 1)
        {
            throw new FuzzFailureException($"{all.Count} addresses from {input.Length} bytes");
        }

        int limit = 1 + (input.Length % 8);
        List<ImapAddress> cut = AddressListParser.Parse(value, limit);
        CheckList(cut, value.Length, $"list cut at {limit}");
        if (cut.Count > limit + 1)
        {
            throw new FuzzFailureException($"{cut.Count} entries with a limit of {limit}");
        }

        for (int i = 0; i < cut.Count; i++)
        {
            bool closedByTheCut = i == cut.Count - 1 && IsGroupEnd(cut[i]);
            if (!closedByTheCut && (i >= all.Count || cut[i] != all[i]))
            {
                throw new FuzzFailureException($"entry {i} of the list cut at {limit} is {cut[i]}, of the whole list {(i < all.Count ? all[i] : null)}");
            }
        }

        if (all.Count <= limit && cut.Count != all.Count)
        {
            throw new FuzzFailureException($"a list of {all.Count} entries came out as {cut.Count} under a limit of {limit}");
        }
    }

    private static void CheckList(List<ImapAddress> addresses, int valueLength, string what)
    {
        bool inGroup = false;
        long characters = 0;
        foreach (ImapAddress address in addresses)
        {
            if (IsGroupEnd(address))
            {
                if (!inGroup)
                {
                    throw new FuzzFailureException($"{what}: a group end outside a group");
                }

                inGroup = false;
            }
            else if (address.Host is null)
            {
                // A group start: (NIL NIL name NIL), RFC 9051 §7.5.2.
                if (inGroup || address.Mailbox is null || address.Name is not null || address.Route is not null)
                {
                    throw new FuzzFailureException($"{what}: a group start {address} inside a group or malformed");
                }

                inGroup = true;
            }
            else if (string.IsNullOrEmpty(address.Mailbox) || address.Host.Length == 0)
            {
                // A NIL or empty host would read as group syntax to a client.
                throw new FuzzFailureException($"{what}: an address without mailbox or host: {address}");
            }

            characters += (address.Name?.Length ?? 0) + (address.Route?.Length ?? 0) + (address.Mailbox?.Length ?? 0) + (address.Host?.Length ?? 0);
        }

        if (inGroup)
        {
            throw new FuzzFailureException($"{what}: a group left open");
        }

        // Every entry's text comes from the value, but for MISSING_MAILBOX / MISSING_DOMAIN.
        long allowed = (2L * valueLength) + (32L * addresses.Count);
        if (characters > allowed)
        {
            throw new FuzzFailureException($"{what}: {characters} characters of addresses from {valueLength} of header");
        }
    }

    private static bool IsGroupEnd(ImapAddress address) =>
        address.Name is null && address.Route is null && address.Mailbox is null && address.Host is null;
}
