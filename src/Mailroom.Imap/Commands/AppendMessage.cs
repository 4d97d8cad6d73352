namespace Mailroom.Imap.Commands;

/// <summary>One message of an APPEND (RFC 3502 allows several): its flags, date and the pieces it is made of.</summary>
internal sealed class AppendMessage : IAsyncDisposable
{
    public AppendMessage(List<string> flagNames, DateTimeOffset? date, List<CatenatePart> parts)
    {
        FlagNames = flagNames;
        Date = date;
        Parts = parts;
    }

    public List<string> FlagNames { get; }

    public DateTimeOffset? Date { get; }

    /// <summary>One data part for a plain APPEND; for CATENATE, the parts in order.</summary>
    public List<CatenatePart> Parts { get; }

    /// <summary>Whether this is a CATENATE message (a plain one has one data part).</summary>
    public bool IsCatenate { get; init; }

    public async ValueTask DisposeAsync()
    {
        foreach (CatenatePart part in Parts)
        {
            if (part.Text is { } text)
            {
                await text.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
