using Microsoft.Extensions.Hosting.Systemd;

namespace Mailroom.Hosting;

/// <summary>
/// sd_notify(3) for the unit's <c>Type=notify</c> (Microsoft.Extensions.Hosting.Systemd's notifier): <c>READY=1</c>
/// once every listener accepts, so <c>systemctl start</c> returns when mail can flow and units ordered after Mailroom
/// start then; <c>RELOADING=1</c> around a SIGHUP reload; <c>STOPPING=1</c> at shutdown. Without <c>NOTIFY_SOCKET</c>
/// (not run by systemd) it does nothing.
/// </summary>
internal sealed class ServiceManagerNotifier : IDisposable
{
    private readonly SystemdNotifier _notifier = new();

    public void Ready() => Send($"READY=1\nSTATUS=accepting mail\nMAINPID={Environment.ProcessId}");

    public void Reloading() => Send("RELOADING=1\nSTATUS=reloading the configuration");

    public void Stopping() => Send("STOPPING=1\nSTATUS=stopping");

    public void Dispose()
    {
    }

    private void Send(string state)
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(new ServiceState(state));
        }
    }
}
