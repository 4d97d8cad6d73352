namespace Mailroom.Core.Filtering;

/// <summary>
/// Refuse the message with <paramref name="Reason"/> (RFC 5429): at SMTP time a <c>550 5.7.1</c>, after acceptance a
/// delivery status notification to the sender. <paramref name="Extended"/> is <c>ereject</c>, whose text is an SMTP reply text.
/// </summary>
public sealed record RejectAction(string Reason, bool Extended) : FilterAction;
