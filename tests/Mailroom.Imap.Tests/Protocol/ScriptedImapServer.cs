using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Imap.Tests.Protocol;

/// <summary>
/// A minimal scripted IMAP server on 127.0.0.1 that lets MailKit log in, open INBOX and FETCH one message whose
/// ENVELOPE and BODY/BODYSTRUCTURE come from our formatters — so MailKit's own parser judges our output.
/// </summary>
internal sealed class ScriptedImapServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _envelope;
    private readonly byte[] _bodyStructure;
    private readonly byte[] _body;
    private readonly Task _serving;
    private readonly CancellationTokenSource _stop = new();

    public ScriptedImapServer(byte[] envelope, byte[] bodyStructure, byte[] body)
    {
        _envelope = envelope;
        _bodyStructure = bodyStructure;
        _body = body;
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (IOException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        using TcpClient client = await _listener.AcceptTcpClientAsync(cancellationToken);
        await using NetworkStream stream = client.GetStream();
        using StreamReader reader = new(stream, Encoding.ASCII);
        await WriteAsync(stream, "* OK [CAPABILITY IMAP4rev1] ready\r\n"u8.ToArray(), cancellationToken);
        for (int commands = 0; commands < 20; commands++)
        {
            string? line = await reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return;
            }

            string[] words = line.Split(' ');
            string tag = words[0];
            string command = words.Length > 1 ? words[1].ToUpperInvariant() : string.Empty;
            string response = command switch
            {
                "CAPABILITY" => "* CAPABILITY IMAP4rev1\r\n" + tag + " OK done\r\n",
                "LOGIN" => tag + " OK [CAPABILITY IMAP4rev1] logged in\r\n",
                "LIST" when line.EndsWith("\"\"", StringComparison.Ordinal) => "* LIST (\\Noselect) \"/\" \"\"\r\n" + tag + " OK done\r\n",
                "LIST" => "* LIST (\\HasNoChildren) \"/\" INBOX\r\n" + tag + " OK done\r\n",
                "SELECT" or "EXAMINE" => "* FLAGS (\\Seen)\r\n* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 2] ok\r\n"
                    + tag + " OK [READ-ONLY] done\r\n",
                "LOGOUT" => "* BYE bye\r\n" + tag + " OK done\r\n",
                _ => string.Empty,
            };
            if (command == "FETCH")
            {
                await WriteFetchAsync(stream, tag, line.Contains("BODYSTRUCTURE", StringComparison.Ordinal), cancellationToken);
                continue;
            }

            await WriteAsync(stream, Encoding.ASCII.GetBytes(response.Length > 0 ? response : tag + " OK done\r\n"), cancellationToken);
            if (command == "LOGOUT")
            {
                return;
            }
        }
    }

    private async Task WriteFetchAsync(NetworkStream stream, string tag, bool structure, CancellationToken cancellationToken)
    {
        using MemoryStream response = new();
        response.Write(Encoding.ASCII.GetBytes("* 1 FETCH (UID 1 ENVELOPE "));
        response.Write(_envelope);
        response.Write(structure ? " BODYSTRUCTURE "u8 : " BODY "u8);
        response.Write(structure ? _bodyStructure : _body);
        response.Write(Encoding.ASCII.GetBytes(")\r\n" + tag + " OK done\r\n"));
        await WriteAsync(stream, response.ToArray(), cancellationToken);
    }

    private static async Task WriteAsync(NetworkStream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
