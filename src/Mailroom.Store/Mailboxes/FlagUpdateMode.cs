namespace Mailroom.Store.Mailboxes;

/// <summary>How STORE applies its flag list: <c>+FLAGS</c>, <c>-FLAGS</c> or <c>FLAGS</c> (RFC 9051 §6.4.6).</summary>
public enum FlagUpdateMode
{
    Add,
    Remove,
    Replace,
}
