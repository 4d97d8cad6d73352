namespace Mailroom.Configuration;

/// <summary>The embedded default layout under the data directory (DESIGN.md, "Data directory").</summary>
internal sealed record DataPaths(string Root)
{
    public static DataPaths From(string? dataDirectory) => new(Path.GetFullPath(dataDirectory ?? "data"));

    public string Database => Path.Combine(Root, "mailroom.db");

    public string Queue => Path.Combine(Root, "queue");

    public string Mail => Path.Combine(Root, "mail");

    public string Tls => Path.Combine(Root, "tls");

    public string Maillog => Path.Combine(Root, "log", "maillog");

    /// <summary>Session transcripts (<c>Log:TracePeers</c>).</summary>
    public string Trace => Path.Combine(Root, "log", "trace");

    public string Dkim => Path.Combine(Root, "dkim");

    public string SrsSecret => Path.Combine(Root, "srs.secret");
}
