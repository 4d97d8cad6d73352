using Microsoft.Extensions.Logging;

namespace Mailroom.Policy.Milter;

/// <summary>
/// The milters of one listener kind (Postfix's smtpd_milters), asked in order at each stage of each SMTP session
/// (<see cref="MilterSession"/>); at the end of DATA after this server's own checks, as Postfix's smtpd_milters run
/// after its header checks.
/// </summary>
public sealed class MilterChain
{
    /// <summary>The most header bytes held to send and edit; fields past it reach the milters as body and pass through unedited.</summary>
    public const int MaxHeaderBytes = 1024 * 1024;

    private readonly IReadOnlyList<(MilterSettings Settings, MilterEndpoint Endpoint)> _milters;
    private readonly MilterLimits _limits;
    private readonly ILogger _log;

    /// <param name="maxPacketSize">Largest packet accepted from a milter.</param>
    /// <param name="maxModifications">Most modification actions accepted per message (all milters together).</param>
    /// <param name="maxBodySize">Largest replacement body accepted.</param>
    public MilterChain(IEnumerable<MilterSettings> milters, int maxPacketSize, int maxModifications, long maxBodySize, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(milters);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var list = new List<(MilterSettings, MilterEndpoint)>();
        foreach (MilterSettings settings in milters)
        {
            if (!MilterEndpoint.TryParse(settings.Address, out MilterEndpoint? endpoint))
            {
                throw new ArgumentException($"milter address '{settings.Address}' is neither inet:host:port nor unix:/path", nameof(milters));
            }

            list.Add((settings, endpoint!));
        }

        _milters = list;
        _limits = new MilterLimits(maxPacketSize, maxModifications, maxBodySize, MaxHeaderBytes);
        _log = loggerFactory.CreateLogger(Core.MaillogCategories.Cleanup);
    }

    public bool IsEmpty => _milters.Count == 0;

    /// <summary>Whether an address is in Postfix's notation (for options validation).</summary>
    public static bool IsValidAddress(string address) => MilterEndpoint.TryParse(address, out _);

    /// <summary>
    /// Starts the milters' conversation for an SMTP session: nothing is connected until <see cref="MilterSession.ConnectAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">The session's: every wait ends with it.</param>
    public MilterSession OpenSession(CancellationToken cancellationToken) =>
        new([.. _milters.Select(m => new MilterConversation(new MilterClient(m.Settings, m.Endpoint, _limits, cancellationToken), m.Settings))], _log, cancellationToken);

    /// <summary>
    /// Writes the message with the header and body modifications of <paramref name="verdict"/> applied to
    /// <paramref name="destination"/>: the prefix and original fields edited in order, then the new body or the original one
    /// streamed from <paramref name="content"/>.
    /// </summary>
    public static async ValueTask WriteModifiedAsync(MilterVerdict verdict, string headerPrefix, Stream content, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(destination);
        content.Seek(0, SeekOrigin.Begin);
        MessageHeaderSection headers = await ReadHeadersAsync(headerPrefix, content, cancellationToken).ConfigureAwait(false);
        List<MessageHeaderField> fields = MilterHeaderEditor.Apply(headers.Fields, verdict.Modifications);
        foreach (MessageHeaderField field in fields)
        {
            await destination.WriteAsync(field.Raw, cancellationToken).ConfigureAwait(false);
        }

        // The empty line is written where the message has one, or where a new body needs one; a header cut at the limit
        // goes on unedited after the edited fields.
        if (headers.EndsWithEmptyLine || verdict.ReplacedBody is not null)
        {
            await destination.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        if (verdict.ReplacedBody is { } body)
        {
            body.Position = 0;
            await body.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            content.Seek(headers.BodyOffset, SeekOrigin.Begin);
            await content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The prefix's fields, then the content's; <see cref="MessageHeaderSection.BodyOffset"/> is in the content.</summary>
    internal static async ValueTask<MessageHeaderSection> ReadHeadersAsync(string headerPrefix, Stream content, CancellationToken cancellationToken)
    {
        MessageHeaderSection section = await MessageHeaderSection.ReadAsync(content, MaxHeaderBytes, cancellationToken).ConfigureAwait(false);
        if (headerPrefix.Length > 0)
        {
            MessageHeaderSection prefix = MessageHeaderSection.Parse(System.Text.Encoding.UTF8.GetBytes(headerPrefix), complete: true);
            section.Fields.InsertRange(0, prefix.Fields);
        }

        return section;
    }
}
