namespace Mailroom.Imap.Server;

/// <summary>RFC 9051 §3 session states; flags so that the command table can list several.</summary>
[Flags]
internal enum ImapState
{
    /// <summary>Before login: CAPABILITY, NOOP, LOGOUT, STARTTLS, AUTHENTICATE, LOGIN, ID.</summary>
    NotAuthenticated = 1,

    /// <summary>Logged in, no mailbox selected.</summary>
    Authenticated = 2,

    /// <summary>A mailbox is selected (SELECT or EXAMINE).</summary>
    Selected = 4,

    /// <summary>After LOGOUT or BYE: the session ends.</summary>
    Logout = 8,

    LoggedIn = Authenticated | Selected,

    Any = NotAuthenticated | Authenticated | Selected,
}
