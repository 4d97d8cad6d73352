using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Maildir;

/// <summary>EMAILID and save date, both read from the message's name (<see cref="MaildirObjectNames"/>).</summary>
internal sealed partial class MaildirFolder
{
    public override string GetEmailId(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MaildirObjectNames.EmailIdOf(record.BaseName);
    }

    public override DateTimeOffset GetSaveDate(MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return MaildirObjectNames.SaveTimeOf(record.BaseName, _time.GetUtcNow()) ?? record.InternalDate;
    }
}
