using System.Net;
using System.Text;

namespace Mailroom.Smtp.Cleanup;

/// <summary>Builds the trace header Postfix's cleanup adds (RFC 5321 §4.4 Stamp).</summary>
internal static class ReceivedHeader
{
    public static string Build(TraceInfo trace)
    {
        var builder = new StringBuilder(256);
        builder.Append("Received: from ").Append(trace.Helo)
            .Append(" (").Append(trace.ClientName).Append(" [").Append(AddressLiteral(trace.ClientAddress)).Append("])\r\n");
        builder.Append("\tby ").Append(trace.Hostname).Append(" (Mailroom) with ").Append(trace.Protocol)
            .Append(" id ").Append(trace.QueueId).Append("\r\n");
        if (trace.Tls is not null)
        {
            builder.Append("\t(using ").Append(trace.Tls).Append(")\r\n");
        }

        if (trace.SingleRecipient is not null)
        {
            builder.Append("\tfor <").Append(trace.SingleRecipient).Append(">; ");
        }
        else
        {
            builder.Append("\t; ");
        }

        builder.Append(Rfc5322Date.Format(trace.Time)).Append("\r\n");
        return builder.ToString();
    }

    private static string AddressLiteral(string address) =>
        IPAddress.TryParse(address, out IPAddress? ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "IPv6:" + address
            : address;
}
