using System.Globalization;

namespace Mailroom.Policy.Milter;

/// <summary>
/// The macros sent before each step, Postfix's defaults (milter_connect_macros, milter_helo_macros, milter_mail_macros,
/// milter_rcpt_macros, milter_data_macros, milter_end_of_data_macros); a milter that lists the macros it wants
/// (SMFIR_SETSYMLIST) gets those it names and this client knows.
/// </summary>
internal sealed class MilterMacros(MilterMessage message)
{
    /// <summary>The recipient of the current RCPT step.</summary>
    public string Recipient { get; set; } = "";

    public IEnumerable<(string Name, string Value)> For(MilterStage stage)
    {
        string[] names = stage switch
        {
            MilterStage.Connect => ["j", "{daemon_name}", "{daemon_addr}", "v", "_", "{client_addr}", "{client_name}", "{client_port}", "{client_ptr}"],
            MilterStage.Helo => ["{tls_version}", "{cipher}", "{cipher_bits}"],
            MilterStage.Mail => ["i", "{auth_type}", "{auth_authen}", "{mail_addr}", "{mail_host}", "{mail_mailer}"],
            MilterStage.Recipient => ["{rcpt_addr}", "{rcpt_host}", "{rcpt_mailer}"],
            MilterStage.Data or MilterStage.EndOfMessage => ["i", "{msg_size}"],
            _ => [],
        };
        foreach (string name in names)
        {
            if (Lookup(name) is { } value)
            {
                yield return (name, value);
            }
        }
    }

    /// <summary>The value of one macro, with or without braces; null when unknown or not applicable.</summary>
    public string? Lookup(string name)
    {
        string bare = name.Trim('{', '}');
        string client = message.Client.Address.IsIPv4MappedToIPv6 ? message.Client.Address.MapToIPv4().ToString() : message.Client.Address.ToString();
        return bare switch
        {
            "j" => message.Hostname,
            "daemon_name" => message.DaemonName,
            "daemon_addr" => message.Local.Address.ToString(),
            "daemon_port" => message.Local.Port.ToString(CultureInfo.InvariantCulture),
            "v" => "Mailroom",
            "_" => $"{message.ClientName} [{client}]",
            "client_addr" => client,
            "client_name" or "client_ptr" => message.ClientName,
            "client_port" => message.Client.Port.ToString(CultureInfo.InvariantCulture),
            "client_connections" => "0",
            "tls_version" => message.TlsVersion,
            "cipher" => message.TlsCipher,
            "cipher_bits" => message.TlsVersion is null ? null : message.TlsBits.ToString(CultureInfo.InvariantCulture),
            "i" => message.QueueId.Length > 0 ? message.QueueId : null,
            "auth_type" => message.AuthMethod,
            "auth_authen" => message.AuthenticatedUser,
            "mail_addr" => message.Sender,
            "mail_host" => message.Sender.Contains('@', StringComparison.Ordinal) ? message.Sender[(message.Sender.LastIndexOf('@') + 1)..] : null,
            "mail_mailer" => "smtp",
            "rcpt_addr" => Recipient,
            "rcpt_host" => Recipient.Contains('@', StringComparison.Ordinal) ? Recipient[(Recipient.LastIndexOf('@') + 1)..] : null,
            "rcpt_mailer" => "smtp",
            "msg_size" => message.Size.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
