using System.Net.Sockets;
using System.Text;

namespace Mailroom.Tests.Support;

/// <summary>
/// The service manager's end of sd_notify(3): a Unix datagram socket whose path goes into <c>NOTIFY_SOCKET</c>, read
/// as systemd reads it, one datagram of <c>KEY=VALUE</c> lines per notification.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        // The service runs as another user; systemd's own socket is writable by every service too.
        File.SetUnixFileMode(path, (UnixFileMode)0x1B6);
    }

    public string Path { get; }

    /// <summary>Reads notifications until one has the line <paramref name="state"/>; returns everything read up to it.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string state, TimeSpan timeout)
    {
        var seen = new List<string>();
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {state} within {timeout.TotalSeconds} s; received: {string.Join(" | ", seen)}");
            }

            string message = Encoding.UTF8.GetString(buffer, 0, length);
            seen.Add(message.Replace('\n', ' '));
            if (message.Split('\n').Contains(state))
            {
                return seen;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
