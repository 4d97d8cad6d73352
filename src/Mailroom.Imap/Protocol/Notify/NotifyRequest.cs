namespace Mailroom.Imap.Protocol.Notify;

/// <summary>
/// The arguments of NOTIFY (RFC 5465 §3, formal syntax §8): <c>NONE</c>, or <c>SET [STATUS]</c> and event groups.
/// Syntax errors and the rules of §3 and §5 are a BAD (<see cref="ImapParseException"/>); events this server cannot
/// report are collected in <see cref="UnsupportedEvents"/> so the command answers <c>NO [BADEVENT ...]</c> (§5).
/// </summary>
internal sealed class NotifyRequest
{
    /// <summary>The events a <c>BADEVENT</c> response code names as supported (RFC 5465 §6).</summary>
    public const string SupportedEventList = "(MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange)";

    private NotifyRequest(bool sendStatus, IReadOnlyList<NotifyEventGroup> groups, IReadOnlyList<string> unsupported)
    {
        SendStatus = sendStatus;
        Groups = groups;
        UnsupportedEvents = unsupported;
    }

    /// <summary>NOTIFY NONE: no notifications at all.</summary>
    public bool IsNone => Groups.Count == 0;

    /// <summary>The STATUS indicator: the current STATUS of every watched mailbox before the tagged OK (§3).</summary>
    public bool SendStatus { get; }

    public IReadOnlyList<NotifyEventGroup> Groups { get; }

    /// <summary>Events named that this server does not support (AnnotationChange, the METADATA events, unknown ones).</summary>
    public IReadOnlyList<string> UnsupportedEvents { get; }

    /// <summary>
    /// Parses from just after the command name. <paramref name="utf8Names"/> as for every mailbox name;
    /// <paramref name="maxMailboxes"/> bounds the names of SUBTREE and MAILBOXES over all groups (a BAD past it).
    /// </summary>
    public static NotifyRequest Parse(ImapArgumentReader reader, bool utf8Names, int maxMailboxes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.ReadSpace();
        if (reader.TryReadKeyword("NONE"))
        {
            reader.ReadEnd();
            return new NotifyRequest(false, [], []);
        }

        if (!reader.TryReadKeyword("SET"))
        {
            throw new ImapParseException("Expected SET or NONE.");
        }

        reader.ReadSpace();
        bool status = reader.TryReadKeyword("STATUS");
        if (status)
        {
            reader.ReadSpace();
        }

        var groups = new List<NotifyEventGroup>();
        var unsupported = new List<string>();
        int names = 0;
        while (true)
        {
            NotifyEventGroup group = ParseGroup(reader, utf8Names, unsupported);
            names += group.Names.Count;
            if (names > maxMailboxes)
            {
                throw new ImapParseException("Too many mailboxes named.");
            }

            groups.Add(group);
            if (reader.AtEnd)
            {
                break;
            }

            reader.ReadSpace();
        }

        if (groups.Count(static g => g.IsSelected) > 1)
        {
            // RFC 5465 §6: SELECTED and SELECTED-DELAYED name the same mailbox; one group may be about it.
            throw new ImapParseException("Only one SELECTED or SELECTED-DELAYED event group is allowed.");
        }

        return new NotifyRequest(status, groups, unsupported);
    }

    private static NotifyEventGroup ParseGroup(ImapArgumentReader reader, bool utf8Names, List<string> unsupported)
    {
        reader.ReadChar('(');
        string filterName = reader.ReadAtom().ToUpperInvariant();
        NotifyFilterKind filter = filterName switch
        {
            "SELECTED" => NotifyFilterKind.Selected,
            "SELECTED-DELAYED" => NotifyFilterKind.SelectedDelayed,
            "INBOXES" => NotifyFilterKind.Inboxes,
            "PERSONAL" => NotifyFilterKind.Personal,
            "SUBSCRIBED" => NotifyFilterKind.Subscribed,
            "SUBTREE" => NotifyFilterKind.Subtree,
            "MAILBOXES" => NotifyFilterKind.Mailboxes,
            _ => throw new ImapParseException("Unknown mailbox filter " + filterName + "."),
        };
        List<string> names = [];
        if (filter is NotifyFilterKind.Subtree or NotifyFilterKind.Mailboxes)
        {
            reader.ReadSpace();
            names = ReadOneOrMoreMailboxes(reader, utf8Names);
        }

        reader.ReadSpace();
        NotifyEvents events = NotifyEvents.None;
        FetchRequest? fetch = null;
        bool selected = filter is NotifyFilterKind.Selected or NotifyFilterKind.SelectedDelayed;
        if (!reader.TryReadKeyword("NONE"))
        {
            reader.ReadChar('(');
            while (true)
            {
                string name = reader.ReadAtom();
                bool messageNew = false;
                switch (name.ToUpperInvariant())
                {
                    case "MESSAGENEW":
                        events |= NotifyEvents.MessageNew;
                        messageNew = true;
                        break;
                    case "MESSAGEEXPUNGE":
                        events |= NotifyEvents.MessageExpunge;
                        break;
                    case "FLAGCHANGE":
                        events |= NotifyEvents.FlagChange;
                        break;
                    case "MAILBOXNAME":
                        events |= NotifyEvents.MailboxName;
                        break;
                    case "SUBSCRIPTIONCHANGE":
                        events |= NotifyEvents.SubscriptionChange;
                        break;
                    default:
                        // AnnotationChange (no ANNOTATE), MailboxMetadataChange and ServerMetadataChange (no METADATA),
                        // and any event-ext: RFC 5465 §5 answers NO [BADEVENT].
                        unsupported.Add(name);
                        break;
                }

                if (reader.PeekChar(')'))
                {
                    reader.ReadChar(')');
                    break;
                }

                reader.ReadSpace();
                if (messageNew && reader.PeekChar('('))
                {
                    // RFC 5465 §5.1: fetch attributes only for the selected mailbox.
                    if (!selected)
                    {
                        throw new ImapParseException("MessageNew takes fetch attributes only for the selected mailbox.");
                    }

                    fetch = FetchRequest.ParseList(reader);
                    if (reader.PeekChar(')'))
                    {
                        reader.ReadChar(')');
                        break;
                    }

                    reader.ReadSpace();
                }
            }

            CheckEventRules(selected, events);
        }

        reader.ReadChar(')');
        return new NotifyEventGroup(filter, names, events, fetch);
    }

    /// <summary>
    /// RFC 5465 §5: for the selected mailbox MessageNew and MessageExpunge come together (a client seeing one but not
    /// the other would lose track of sequence numbers), FlagChange needs both, and only message events apply.
    /// </summary>
    private static void CheckEventRules(bool selected, NotifyEvents events)
    {
        if (!selected)
        {
            return;
        }

        if ((events & NotifyEvents.Mailbox) != 0)
        {
            throw new ImapParseException("Only message events may be given for the selected mailbox.");
        }

        bool newMessages = (events & NotifyEvents.MessageNew) != 0;
        bool expunges = (events & NotifyEvents.MessageExpunge) != 0;
        if (newMessages != expunges)
        {
            throw new ImapParseException("MessageNew and MessageExpunge must be given together for the selected mailbox.");
        }

        if ((events & NotifyEvents.FlagChange) != 0 && !newMessages)
        {
            throw new ImapParseException("FlagChange needs MessageNew and MessageExpunge.");
        }
    }

    /// <summary>one-or-more-mailbox = mailbox / "(" mailbox *(SP mailbox) ")".</summary>
    private static List<string> ReadOneOrMoreMailboxes(ImapArgumentReader reader, bool utf8Names)
    {
        if (!reader.PeekChar('('))
        {
            return [reader.ReadMailboxName(utf8Names)];
        }

        reader.ReadChar('(');
        var names = new List<string>();
        while (true)
        {
            names.Add(reader.ReadMailboxName(utf8Names));
            if (reader.PeekChar(')'))
            {
                reader.ReadChar(')');
                return names;
            }

            reader.ReadSpace();
        }
    }
}
