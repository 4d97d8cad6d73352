namespace Mailroom.Core.Filtering;

/// <summary>
/// A user's mail filter as local delivery sees it (Sieve, RFC 5228): given one message for one local recipient it
/// decides what to do — keep it, file it into folders with flags, redirect it, reject it, discard it, answer it —
/// without doing any of it. The caller carries the actions out (storing through the mail store, submitting through
/// <see cref="IMessageSubmitter"/>) and then calls <see cref="FilterDecision.CommitAsync"/>, which records what must
/// be remembered (vacation replies sent, duplicates seen). Deciding has no side effects, so a decision may be taken
/// twice: once before the SMTP reply (to refuse a message a script rejects) and again at delivery.
/// </summary>
public interface IDeliveryFilter
{
    /// <summary>
    /// Runs the recipient's filters on the message. A script that fails at run time never loses the message: the
    /// decision is then a keep into the default folder, with <see cref="FilterDecision.Failure"/> set.
    /// </summary>
    ValueTask<FilterDecision> DecideAsync(FilterRequest request, CancellationToken cancellationToken);
}
