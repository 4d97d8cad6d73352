namespace Mailroom.Policy.Dns;

/// <summary>One MX record: preference and exchange host (<c>.</c> or empty for RFC 7505's null MX).</summary>
public sealed record MxHost(int Preference, string Host);
