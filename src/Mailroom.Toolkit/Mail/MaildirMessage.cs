namespace Mailroom.Toolkit.Mail;

/// <summary>One message file in a Maildir, with the header fields the list shows.</summary>
internal sealed record MaildirMessage(string Path, bool IsNew, long Size, int Lines, string From, DateTimeOffset? Date, string Subject);
