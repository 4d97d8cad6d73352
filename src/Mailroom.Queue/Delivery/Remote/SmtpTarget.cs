using System.Net;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>One address to try: the host name (for the log, SNI and certificate checks), its address and port.</summary>
internal sealed record SmtpTarget(string Host, IPAddress Address, int Port)
{
    /// <summary>The <c>relay=</c> field: <c>host[address]:port</c>.</summary>
    public string Relay => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Host}[{Address}]:{Port}");

    /// <summary>The key of the connection cache.</summary>
    public string Key => Relay;
}
