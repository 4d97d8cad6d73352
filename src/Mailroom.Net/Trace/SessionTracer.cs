using System.Globalization;
using System.Net;

namespace Mailroom.Net.Trace;

/// <summary>
/// Decides which sessions are traced (<c>Log:TracePeers</c>) and opens their transcripts, one file per session in
/// <see cref="SessionTraceSettings.Directory"/>, keeping at most <see cref="SessionTraceSettings.MaxFiles"/> of them.
/// A session costs one check at connect and one at login; an untraced one is never touched again.
/// </summary>
public sealed class SessionTracer
{
    private const string Extension = ".trace";

    private readonly TimeProvider _timeProvider;
    private readonly Lock _filesGate = new();
    private volatile State _state;

    public SessionTracer(SessionTraceSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _state = Build(settings);
    }

    /// <summary>Whether any peer or user is listed; when not, connections are not even given the tracer.</summary>
    public bool IsActive => !_state.Peers.IsEmpty;

    /// <summary>
    /// Takes reloaded settings: sessions that start (or log in) from now on are matched against them; transcripts
    /// already open carry on to their end.
    /// </summary>
    public void Reconfigure(SessionTraceSettings settings) => _state = Build(settings);

    /// <summary>A transcript for a session from a listed address, or null.</summary>
    internal SessionTrace? StartForPeer(MailConnection connection)
    {
        State state = _state;
        IPAddress address = connection.RemoteEndPoint.Address;
        return state.Peers.Matches(address) ? Open(state, connection, "client " + address) : null;
    }

    /// <summary>A transcript for a session that logged in as a listed user, or null.</summary>
    internal SessionTrace? StartForUser(MailConnection connection, string user)
    {
        State state = _state;
        return state.Peers.HasUsers && state.Peers.Matches(user) ? Open(state, connection, "user " + user) : null;
    }

    private SessionTrace? Open(State state, MailConnection connection, string reason)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        string name = string.Create(
            CultureInfo.InvariantCulture,
            $"{now:yyyyMMdd'T'HHmmss'.'fff'Z'}-{connection.ListenerName}-{connection.Id:D8}{Extension}");
        string path = Path.Combine(state.Settings.Directory, name);
        try
        {
            lock (_filesGate)
            {
                CreatePrivateDirectory(state.Settings.Directory);
                Prune(state.Settings.Directory, state.Settings.MaxFiles - 1);
                var trace = new SessionTrace(path, state.Settings.MaxFileSize, _timeProvider);
                trace.Note(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{connection.ListenerName} session {connection.Id} from {connection.RemoteEndPoint} to {connection.LocalEndPoint}, traced for {reason}{(connection.IsSecure ? ", TLS" : string.Empty)}"));
                return trace;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            NetLog.TraceFailed(connection.Logger, connection.Id, path, ex.Message);
            return null;
        }
    }

    /// <summary>Removes the oldest transcripts (their names start with the UTC time) until at most <paramref name="keep"/> remain.</summary>
    private static void Prune(string directory, int keep)
    {
        string[] files = System.IO.Directory.GetFiles(directory, "*" + Extension);
        if (files.Length <= keep)
        {
            return;
        }

        Array.Sort(files, StringComparer.Ordinal);
        for (int i = 0; i < files.Length - keep; i++)
        {
            File.Delete(files[i]);
        }
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static State Build(SessionTraceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxFileSize < SessionTraceSettings.MinFileSize)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.MaxFileSize, $"The trace file size must be at least {SessionTraceSettings.MinFileSize} bytes.");
        }

        if (settings.MaxFiles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.MaxFiles, "At least one trace file must be kept.");
        }

        return new State(settings, TracePeerList.Parse(settings.Peers));
    }

    private sealed record State(SessionTraceSettings Settings, TracePeerList Peers);
}
