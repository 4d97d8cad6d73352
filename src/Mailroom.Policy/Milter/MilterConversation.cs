namespace Mailroom.Policy.Milter;

/// <summary>Where one milter stands in an SMTP session (Postfix's milter8 states): open, done for the message, done for the session.</summary>
internal sealed class MilterConversation(MilterClient client, MilterSettings settings)
{
    public MilterClient Client { get; } = client;

    public MilterSettings Settings { get; } = settings;

    /// <summary>
    /// No more events for this session: it accepted or discarded the connection, refused it at connect or HELO, or failed.
    /// </summary>
    public bool SessionDone { get; set; }

    /// <summary>Its refusal at connect or HELO (or its default action after a failure): every MAIL of the session gets it.</summary>
    public MilterDecision? SessionRefusal { get; set; }

    /// <summary>It discarded the connection: every message of the session is discarded.</summary>
    public bool DiscardsSession { get; set; }

    /// <summary>It accepted (or discarded) the current message: no more events about it.</summary>
    public bool MessageDone { get; set; }

    /// <summary>It has had a MAIL event since the last ABORT, so one is due before the next message.</summary>
    public bool InMessage { get; set; }
}
