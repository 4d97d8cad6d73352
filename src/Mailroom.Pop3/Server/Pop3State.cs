namespace Mailroom.Pop3.Server;

/// <summary>RFC 1939 §3 session states; flags so that the command table can list several.</summary>
[Flags]
internal enum Pop3State
{
    /// <summary>Before login (USER/PASS, AUTH, STLS, CAPA).</summary>
    Authorization = 1,

    /// <summary>Logged in, the maildrop locked and snapshotted.</summary>
    Transaction = 2,

    /// <summary>After QUIT in the TRANSACTION state: deletions done, the session ends.</summary>
    Update = 4,

    Any = Authorization | Transaction | Update,
}
