namespace Mailroom.Store.Mailboxes;

/// <summary>The outcome of <see cref="MailFolder.UpdateFlags"/>.</summary>
/// <param name="Changed">The messages whose flags or keywords changed, with their new mod-sequence, ascending by UID.</param>
/// <param name="Modified">RFC 7162 §3.1.3: UIDs left alone because their mod-sequence exceeded UNCHANGEDSINCE.</param>
public sealed record FlagUpdateResult(IReadOnlyList<MessageRecord> Changed, IReadOnlyList<uint> Modified);
