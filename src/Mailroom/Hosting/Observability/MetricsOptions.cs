namespace Mailroom.Hosting.Observability;

/// <summary>The metrics and health endpoint (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// Address and port of the HTTP endpoint serving <c>/metrics</c> (Prometheus text), <c>/health/live</c> and
    /// <c>/health/ready</c>. Default <c>127.0.0.1:9587</c>: loopback only, since the numbers tell an outsider how busy
    /// the server is and who fails to log in; a Prometheus elsewhere scrapes through a reverse proxy or an SSH tunnel,
    /// or the admin sets an address of the monitoring network. Empty: no HTTP endpoint (the control socket stays).
    /// </summary>
    public string Listen { get; set; } = "127.0.0.1:9587";
}
