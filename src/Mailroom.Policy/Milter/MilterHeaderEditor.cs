using System.Text;

namespace Mailroom.Policy.Milter;

/// <summary>Applies the header modifications of the milters, in the order they came, to the message's fields.</summary>
internal static class MilterHeaderEditor
{
    public static List<MessageHeaderField> Apply(IReadOnlyList<MessageHeaderField> original, IReadOnlyList<MilterModification> modifications)
    {
        var fields = new List<MessageHeaderField>(original);
        foreach (MilterModification modification in modifications)
        {
            switch (modification)
            {
                case HeaderAdded added:
                    fields.Add(Field(added.Name, added.Value));
                    break;
                case HeaderInserted inserted:
                    fields.Insert(Math.Min(inserted.Index, fields.Count), Field(inserted.Name, inserted.Value));
                    break;
                case HeaderChanged changed:
                    Change(fields, changed);
                    break;
                default:
                    break;
            }
        }

        return fields;
    }

    /// <summary>
    /// libmilter's smfi_chgheader: the nth field of that name is replaced, or removed when the value is empty; a field
    /// that is not there is added (unless it was to be removed).
    /// </summary>
    private static void Change(List<MessageHeaderField> fields, HeaderChanged changed)
    {
        int seen = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            if (!string.Equals(fields[i].Name, changed.Name, StringComparison.OrdinalIgnoreCase) || ++seen != changed.Occurrence)
            {
                continue;
            }

            if (changed.Value.Length == 0)
            {
                fields.RemoveAt(i);
            }
            else
            {
                fields[i] = Field(fields[i].Name, changed.Value);
            }

            return;
        }

        if (changed.Value.Length > 0)
        {
            fields.Add(Field(changed.Name, changed.Value));
        }
    }

    private static MessageHeaderField Field(string name, string value) => new(name, Encoding.UTF8.GetBytes($"{name}:{value}\r\n"));
}
