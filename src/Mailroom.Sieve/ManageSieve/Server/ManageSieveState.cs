namespace Mailroom.Sieve.ManageSieve.Server;

/// <summary>RFC 5804 §1.5 session states; flags so that the command table can list several.</summary>
[Flags]
internal enum ManageSieveState
{
    /// <summary>Before AUTHENTICATE (STARTTLS, CAPABILITY, AUTHENTICATE, NOOP, LOGOUT).</summary>
    NonAuthenticated = 1,

    /// <summary>Logged in: the script commands.</summary>
    Authenticated = 2,

    Any = NonAuthenticated | Authenticated,
}
