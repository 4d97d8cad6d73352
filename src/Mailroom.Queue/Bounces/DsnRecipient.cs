using Mailroom.Core;

namespace Mailroom.Queue.Bounces;

/// <summary>One per-recipient block of a delivery-status report (RFC 3464 §2.3).</summary>
/// <param name="Recipient">The envelope recipient.</param>
/// <param name="Action">failed, delayed, delivered or relayed.</param>
/// <param name="Status">The RFC 3463 status code.</param>
/// <param name="Text">The reason as logged (for the human-readable part and a local Diagnostic-Code).</param>
/// <param name="RemoteMta">The host that answered, when one did.</param>
/// <param name="RemoteReply">The remote server's reply (the <c>smtp;</c> Diagnostic-Code), when there was one.</param>
internal sealed record DsnRecipient(EnvelopeRecipient Recipient, string Action, string Status, string Text, string? RemoteMta, string? RemoteReply);
