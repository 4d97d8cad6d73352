using System.Globalization;
using System.Text;

namespace Mailroom.Smtp.Server;

/// <summary>
/// Postfix's per-session command statistics for the disconnect line: <c>ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4</c>
/// (<c>ok</c> alone when every attempt succeeded, else <c>ok/total</c>), in Postfix's command-table order.
/// </summary>
internal sealed class CommandCounters
{
    private static readonly string[] Order =
        ["helo", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "bdat", "rset", "noop", "vrfy", "help", "quit", "unknown"];

    private readonly int[] _ok = new int[Order.Length];
    private readonly int[] _total = new int[Order.Length];

    public void Record(string verb, bool succeeded)
    {
        int index = Array.IndexOf(Order, verb.ToLowerInvariant());
        if (index < 0)
        {
            index = Order.Length - 1;
        }

        _total[index]++;
        if (succeeded)
        {
            _ok[index]++;
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        int ok = 0;
        int total = 0;
        for (int i = 0; i < Order.Length; i++)
        {
            if (_total[i] == 0)
            {
                continue;
            }

            Append(builder, Order[i], _ok[i], _total[i]);
            builder.Append(' ');
            ok += _ok[i];
            total += _total[i];
        }

        Append(builder, "commands", ok, total);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, string name, int ok, int total)
    {
        builder.Append(name).Append('=').Append(ok.ToString(CultureInfo.InvariantCulture));
        if (ok != total)
        {
            builder.Append('/').Append(total.ToString(CultureInfo.InvariantCulture));
        }
    }
}
