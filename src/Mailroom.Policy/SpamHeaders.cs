using Mailroom.Policy.Milter;

namespace Mailroom.Policy;

/// <summary>
/// The header fields by which a filter marks a message as spam (<c>X-Spam: Yes</c>, rspamd's <c>add header</c> action;
/// <c>X-Spam-Flag: YES</c>, SpamAssassin's): a marked message is filed in the Junk folder of its local recipients.
/// </summary>
public sealed class SpamHeaders
{
    private readonly (string Name, string Value)[] _markers;

    public SpamHeaders(IEnumerable<string> markers)
    {
        ArgumentNullException.ThrowIfNull(markers);
        _markers = [.. markers.Select(m => TryParseMarker(m, out (string, string) marker) ? marker : throw new ArgumentException($"'{m}' is not 'Name: value'", nameof(markers)))];
    }

    public bool IsEmpty => _markers.Length == 0;

    /// <summary><c>Name: value</c>, a field name and a non-empty value.</summary>
    public static bool TryParseMarker(string text, out (string Name, string Value) marker)
    {
        marker = default;
        int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        string name = text![..colon].Trim();
        string value = text[(colon + 1)..].Trim();
        if (name.Length == 0 || value.Length == 0 || !MessageHeaderSection.IsFieldName(System.Text.Encoding.UTF8.GetBytes(name)))
        {
            return false;
        }

        marker = (name, value);
        return true;
    }

    /// <summary>Whether a field of <paramref name="headerPrefix"/> or of the header of <paramref name="content"/> (read from its start) marks it.</summary>
    public async ValueTask<bool> MarksAsync(string headerPrefix, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headerPrefix);
        if (_markers.Length == 0)
        {
            return false;
        }

        MessageHeaderSection section = await MessageHeaderSection.ReadAsync(content, MilterChain.MaxHeaderBytes, cancellationToken).ConfigureAwait(false);
        IEnumerable<MessageHeaderField> fields = MessageHeaderSection.Parse(System.Text.Encoding.UTF8.GetBytes(headerPrefix), complete: true).Fields.Concat(section.Fields);
        foreach (MessageHeaderField field in fields)
        {
            foreach ((string name, string value) in _markers)
            {
                if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(System.Text.Encoding.UTF8.GetString(field.MilterValue(keepLeadingSpace: false)).Trim(), value, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
