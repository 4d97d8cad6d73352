using System.Net;
using System.Text;

namespace Mailroom.Sieve.Tests.Support;

/// <summary>A raw ManageSieve client: sends lines as typed and reads responses up to their OK, NO or BYE.</summary>
internal sealed class ManageSieveClient : RawLineClient
{
    private ManageSieveClient(System.Net.Sockets.TcpClient tcp)
        : base(tcp)
    {
    }

    public static async Task<ManageSieveClient> ConnectAsync(IPEndPoint endPoint) => new(await ConnectTcpAsync(endPoint));

    /// <summary>Sends one command line and reads the response.</summary>
    public async Task<List<string>> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadResponseAsync();
    }

    /// <summary>The lines up to and including the final OK/NO/BYE line (a literal's content counts as lines).</summary>
    public async Task<List<string>> ReadResponseAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            string? line = await ReadLineAsync();
            if (line is null)
            {
                return lines;
            }

            lines.Add(line);
            if (line.StartsWith("OK", StringComparison.Ordinal) || line.StartsWith("NO", StringComparison.Ordinal) || line.StartsWith("BYE", StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }

    public async Task LoginAsync(string user, string password)
    {
        string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        List<string> response = await CommandAsync($"AUTHENTICATE \"PLAIN\" \"{plain}\"");
        Assert.StartsWith("OK", response[^1], StringComparison.Ordinal);
    }

    /// <summary>PUTSCRIPT with the script as a non-synchronizing literal.</summary>
    public async Task<List<string>> PutScriptAsync(string name, string script)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(script);
        await SendAsync($"PUTSCRIPT \"{name}\" {{{bytes.Length}+}}\r\n");
        await SendAsync([.. bytes, (byte)'\r', (byte)'\n']);
        return await ReadResponseAsync();
    }
}
