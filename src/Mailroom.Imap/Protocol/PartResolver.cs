using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Finds the body part a part path names (RFC 9051 §6.4.5): parts of a multipart are numbered from 1; a non-multipart
/// message has one part, 1, its body; the parts of a message/rfc822 part are those of the message it encapsulates.
/// A path costs one step per number, whatever the message.
/// </summary>
internal static class PartResolver
{
    /// <summary>
    /// The part at <paramref name="path"/> (the message itself for an empty path) and the message whose header
    /// HEADER and TEXT refer to: the message for an empty path, else the one inside a message/rfc822 part (or null).
    /// </summary>
    public static bool TryResolve(BodyPart message, IReadOnlyList<int> path, out BodyPart? part, out BodyPart? encapsulated)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(path);
        part = message;
        encapsulated = message;
        if (path.Count == 0)
        {
            return true;
        }

        bool atMessageBody = true;
        foreach (int index in path)
        {
            if (part.Message is { } nested && !atMessageBody)
            {
                part = nested;
                atMessageBody = true;
            }

            if (part.Parts is { } parts)
            {
                if (index < 1 || index > parts.Count)
                {
                    part = encapsulated = null;
                    return false;
                }

                part = parts[index - 1];
            }
            else if (!(atMessageBody && index == 1))
            {
                part = encapsulated = null;
                return false;
            }

            atMessageBody = false;
        }

        encapsulated = part.Message;
        return true;
    }
}
