namespace Mailroom.Core.Filtering;

/// <summary>
/// Send the message on to <paramref name="Address"/> (RFC 5228 §4.2), keeping the original envelope sender (the null
/// sender stays null), with <paramref name="HeaderPrefix"/> (CRLF-terminated header lines) put in front.
/// </summary>
public sealed record RedirectAction(string Address, string HeaderPrefix) : FilterAction;
