using MimeKit;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// Finds the entity a part path names (RFC 9051 §6.4.5): parts of a multipart are numbered from 1; a non-multipart
/// message has one part, 1, its body; the parts of a message/rfc822 part are those of the message it encapsulates.
/// </summary>
internal static class PartResolver
{
    /// <summary>
    /// The entity at <paramref name="part"/> (the message's body for an empty path) and the message whose header
    /// HEADER/TEXT refer to: the top message for an empty path, else the message inside a message/rfc822 part.
    /// </summary>
    public static bool TryResolve(MimeMessage message, IReadOnlyList<int> part, out MimeEntity? entity, out MimeMessage? encapsulated)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(part);
        entity = message.Body;
        encapsulated = message;
        if (part.Count == 0)
        {
            return entity is not null;
        }

        bool atMessageBody = true;
        foreach (int index in part)
        {
            if (entity is MessagePart { Message: not null } nested && !atMessageBody)
            {
                entity = nested.Message.Body;
                atMessageBody = true;
            }

            if (entity is Multipart multipart)
            {
                if (index < 1 || index > multipart.Count)
                {
                    entity = null;
                    encapsulated = null;
                    return false;
                }

                entity = multipart[index - 1];
            }
            else if (!(atMessageBody && index == 1) || entity is null)
            {
                entity = null;
                encapsulated = null;
                return false;
            }

            atMessageBody = false;
        }

        encapsulated = entity is MessagePart { Message: { } inner } ? inner : null;
        return true;
    }
}
