namespace Mailroom.Pop3;

/// <summary>What a POP3 listener is: plain with STLS (110) or implicit TLS (995).</summary>
public enum Pop3ListenerRole
{
    /// <summary>Port 110: plaintext, upgraded with STLS (RFC 2595 §4).</summary>
    Pop3,

    /// <summary>Port 995: TLS before the greeting (RFC 8314 §3.3); STLS is not offered.</summary>
    Pop3s,
}
