namespace Mailroom.Hosting.Observability;

/// <summary>What the running server knows about itself for metrics, health and status: where its data is, since when it runs.</summary>
internal sealed class ServerFacts
{
    public required string DataDirectory { get; init; }

    public required string QueueDirectory { get; init; }

    public required string MailRoot { get; init; }

    public required long MinFreeSpace { get; init; }

    public required DateTimeOffset Started { get; init; }

    public string Version { get; init; } = ServerGauges.ProgramVersion;

    /// <summary>The control socket of <c>mailroom status</c>: in the data directory, which only the service user (and root) can enter.</summary>
    public string ControlSocket => ControlSocketPath(DataDirectory);

    public static string ControlSocketPath(string dataDirectory) => Path.Combine(dataDirectory, "mailroom.sock");

    public IEnumerable<(string Name, string Path)> StorageLocations() =>
        [("queue", QueueDirectory), ("mail", MailRoot), ("data", DataDirectory)];
}
