namespace Mailroom.Toolkit.Check;

internal enum ServiceProtocol
{
    Smtp,
    Pop3,
    Imap,
}

/// <summary>A service to probe: its name (as <c>--skip</c> spells it), protocol, port and how TLS starts.</summary>
internal sealed record ServiceSpec(string Name, ServiceProtocol Protocol, int Port, bool ImplicitTls);
