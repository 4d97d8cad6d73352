using System.Net.Sockets;
using System.Text.Json;

namespace Mailroom.Queue.Admin;

/// <summary>
/// Queue administration for <c>mailroom queue</c>, safe while the server runs. When a queue manager owns
/// the spool, every request goes to it over <c>&lt;queue&gt;/control.sock</c> (it waits for a delivery in
/// progress before deleting or holding a message). When none runs — the socket refuses and the queue lock
/// is free — the files are changed directly while holding that lock, so a server starting meanwhile waits.
/// </summary>
public sealed class QueueAdmin
{
    private const int Attempts = 50;
    private readonly QueueDirectories _directories;

    /// <param name="queueDirectory">The spool directory (<c>Queue:QueueDirectory</c>, by default <c>&lt;data&gt;/queue</c>).</param>
    public QueueAdmin(string queueDirectory)
    {
        _directories = new QueueDirectories(queueDirectory);
    }

    /// <summary>Every message with its pending recipients and their last errors, oldest first.</summary>
    public async Task<IReadOnlyList<QueuedMessageInfo>> ListAsync(CancellationToken cancellationToken)
    {
        EnsureQueueExists();
        ControlResponse response = await RunAsync(new ControlRequest("list", null), dirs => new ControlResponse(true, null, 0, QueueFileOperations.List(dirs)), cancellationToken).ConfigureAwait(false);
        return response.Messages ?? [];
    }

    /// <summary>
    /// The running server's sending-limit counters (they live in its memory: with no server running, there are none
    /// and <see cref="QueueAdminResult.ServerRunning"/> is false).
    /// </summary>
    public async Task<(IReadOnlyList<Core.SendingCounterInfo> Counters, bool ServerRunning)> SendingCountersAsync(CancellationToken cancellationToken)
    {
        EnsureQueueExists();
        bool running = true;
        ControlResponse response = await RunAsync(new ControlRequest("limits", null), _ =>
        {
            running = false;
            return new ControlResponse(true, null, 0, null);
        }, cancellationToken).ConfigureAwait(false);
        return (response.Counters ?? [], running);
    }

    /// <summary>Retries deferred mail now; without a running server, makes it due for the next start.</summary>
    public Task<QueueAdminResult> FlushAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(new ControlRequest("flush", null), dirs =>
        {
            int count = 0;
            foreach (QueuedMessageInfo message in QueueFileOperations.List(dirs).Where(m => m.State == "deferred"))
            {
                QueueFileOperations.MakeDue(dirs, dirs.Deferred, message.Id);
                count++;
            }

            return count;
        }, cancellationToken);

    /// <summary>Deletes one message, or every message with <c>ALL</c>.</summary>
    public Task<QueueAdminResult> DeleteAsync(string idOrAll, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrAll);
        return ExecuteAsync(new ControlRequest("delete", idOrAll), dirs =>
        {
            if (idOrAll == "ALL")
            {
                return QueueFileOperations.List(dirs).Count(m => QueueFileOperations.Delete(dirs, m.Id));
            }

            return QueueFileOperations.Delete(dirs, CheckId(idOrAll)) ? 1 : throw new QueueAdminException($"{idOrAll}: no such message in the queue");
        }, cancellationToken);
    }

    /// <summary>Puts a message on hold: kept, not delivered, until released.</summary>
    public Task<QueueAdminResult> HoldAsync(string id, CancellationToken cancellationToken) =>
        ExecuteAsync(new ControlRequest("hold", id), dirs =>
            QueueFileOperations.Move(dirs, CheckId(id), dirs.Hold) ? 1 : throw new QueueAdminException($"{id}: no such message in the queue"), cancellationToken);

    /// <summary>Releases a held message for delivery.</summary>
    public Task<QueueAdminResult> ReleaseAsync(string id, CancellationToken cancellationToken) =>
        ExecuteAsync(new ControlRequest("release", id), dirs =>
        {
            if (!File.Exists(Path.Combine(dirs.Hold, CheckId(id))))
            {
                throw new QueueAdminException($"{id}: no such message on hold");
            }

            QueueFileOperations.Move(dirs, id, dirs.Deferred);
            QueueFileOperations.MakeDue(dirs, dirs.Deferred, id);
            return 1;
        }, cancellationToken);

    private static string CheckId(string id) =>
        Core.QueueId.IsValid(id) ? id : throw new QueueAdminException($"'{id}' is not a queue id");

    private async Task<QueueAdminResult> ExecuteAsync(ControlRequest request, Func<QueueDirectories, int> offline, CancellationToken cancellationToken)
    {
        EnsureQueueExists();
        bool running = true;
        ControlResponse response = await RunAsync(request, dirs =>
        {
            running = false;
            return new ControlResponse(true, null, offline(dirs), null);
        }, cancellationToken).ConfigureAwait(false);
        return new QueueAdminResult(response.Count, running);
    }

    private void EnsureQueueExists()
    {
        if (!System.IO.Directory.Exists(_directories.Root))
        {
            throw new QueueAdminException($"no queue at {_directories.Root}");
        }
    }

    private async Task<ControlResponse> RunAsync(ControlRequest request, Func<QueueDirectories, ControlResponse> offline, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            ControlResponse? online = await TryServerAsync(request, cancellationToken).ConfigureAwait(false);
            if (online is not null)
            {
                return online.Ok ? online : throw new QueueAdminException(online.Error ?? "the server refused the request");
            }

            using (FileStream? held = QueueLock.TryAcquire(_directories))
            {
                if (held is not null)
                {
                    return offline(_directories);
                }
            }

            // The lock is held but the socket did not answer: a server is starting or stopping.
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new QueueAdminException($"the queue {_directories.Root} is locked by a server whose control socket does not answer");
    }

    private async Task<ControlResponse?> TryServerAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        if (!File.Exists(_directories.ControlSocket))
        {
            return null;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_directories.ControlSocket), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // ECONNREFUSED: a socket file left by a server that is gone.
            return null;
        }

        var stream = new NetworkStream(socket, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(request, AdminJsonContext.Default.ControlRequest);
            await stream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            string line = await ReadResponseAsync(stream, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(line, AdminJsonContext.Default.ControlResponse)
                ?? throw new QueueAdminException("the server sent an empty answer");
        }
    }

    private static async Task<string> ReadResponseAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new QueueAdminException("the server closed the control connection without answering");
    }
}
