namespace Mailroom.Toolkit.Smtp;

/// <summary>
/// One SMTP reply (RFC 5321 §4.2). <see cref="Lines"/> holds the text of each line after the code, kept only when
/// the caller asked for it or when the reply is a failure, so the hot path allocates nothing for a 250.
/// </summary>
internal readonly record struct SmtpReply(int Code, IReadOnlyList<string>? Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public override string ToString() => Lines is { Count: > 0 } ? $"{Code} {string.Join(" / ", Lines)}" : Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
