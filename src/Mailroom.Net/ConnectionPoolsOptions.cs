namespace Mailroom.Net;

/// <summary>Per-class overrides of the connection limits (<c>Net:Pools</c>).</summary>
public sealed class ConnectionPoolsOptions
{
    public ConnectionPoolOptions Mta { get; set; } = new();

    public ConnectionPoolOptions Submission { get; set; } = new();

    public ConnectionPoolOptions Pop3 { get; set; } = new();

    public ConnectionPoolOptions Imap { get; set; } = new();

    public ConnectionPoolOptions ManageSieve { get; set; } = new();

    /// <summary>The overrides of one class.</summary>
    public ConnectionPoolOptions For(ListenerClass listenerClass) => listenerClass switch
    {
        ListenerClass.Mta => Mta,
        ListenerClass.Submission => Submission,
        ListenerClass.Pop3 => Pop3,
        ListenerClass.Imap => Imap,
        ListenerClass.ManageSieve => ManageSieve,
        _ => throw new ArgumentOutOfRangeException(nameof(listenerClass), listenerClass, "Unknown listener class."),
    };
}
