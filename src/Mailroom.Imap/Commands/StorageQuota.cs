using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Imap.Server;

namespace Mailroom.Imap.Commands;

/// <summary>
/// The user's storage quota as IMAP shows and enforces it (RFC 9208): one quota root per user, named <c>""</c> as in
/// the RFC's examples, covering every folder; the STORAGE resource in units of 1024 octets (§3.2.1).
/// </summary>
internal static class StorageQuota
{
    /// <summary>The name of the one quota root.</summary>
    public const string RootName = "";

    /// <summary>
    /// Answers <c>NO [OVERQUOTA]</c> (RFC 9208 §4.3.1, RFC 5530) when <paramref name="bytes"/> more would pass the
    /// user's quota, or <c>NO [UNAVAILABLE]</c> when the quota cannot be read; returns whether it answered.
    /// </summary>
    public static async ValueTask<bool> RefuseIfOverAsync(ImapSession session, ImapRequest request, long bytes, CancellationToken cancellationToken)
    {
        if (await TryGetAsync(session, request, cancellationToken).ConfigureAwait(false) is not { } usage)
        {
            return true;
        }

        if (!usage.WouldExceed(bytes))
        {
            return false;
        }

        // Dovecot's wording, which admins and users know.
        session.No(request, "[OVERQUOTA] Quota exceeded (mailbox for user is full)");
        return true;
    }

    /// <summary>The user's usage and limit; null after answering <c>NO [UNAVAILABLE]</c> when the directory did not answer.</summary>
    public static async ValueTask<QuotaUsage?> TryGetAsync(ImapSession session, ImapRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Context.Quota.GetUsageAsync(session.User!, cancellationToken).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException ex)
        {
            ImapLog.QuotaFailed(session.Context.Diagnostics, ex, session.User!);
            session.No(request, "[UNAVAILABLE] Temporary failure in reading the quota.");
            return null;
        }
    }

    /// <summary>
    /// <c>* QUOTA "" (STORAGE used limit)</c> (RFC 9208 §4.2.1) in 1024-octet units rounded up, when the user has a
    /// limit: the response cannot carry an empty resource list, so a user without one gets none.
    /// </summary>
    public static void WriteQuota(ImapSession session, QuotaUsage usage)
    {
        if (usage.IsLimited)
        {
            session.WriteLine(FormattableString.Invariant($"* QUOTA \"{RootName}\" (STORAGE {Kibibytes(usage.UsedBytes)} {Kibibytes(usage.LimitBytes)})"));
        }
    }

    /// <summary>Octets in 1024-octet units, rounded up (a byte over a limit is over it).</summary>
    public static long Kibibytes(long bytes) => (bytes + 1023) / 1024;
}
