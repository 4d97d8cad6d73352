namespace Mailroom.Sieve.Runtime;

/// <summary>What a run asks of the world around it: the clock, the user's folders, tracking records and included scripts.</summary>
public interface ISieveHost
{
    DateTimeOffset Now { get; }

    /// <summary>The zone of <c>currentdate</c> and <c>date</c> without <c>:zone</c> (RFC 5260 §4.1: the local one).</summary>
    TimeZoneInfo LocalZone { get; }

    /// <summary>RFC 5183 <c>phase</c>: <c>during</c> (before the SMTP reply) or <c>post</c> (delivery).</summary>
    string Phase { get; }

    /// <summary>Where <c>keep</c> and the implicit keep store: INBOX, or the folder named by the address detail.</summary>
    string DefaultFolder { get; }

    /// <summary>Whether the user has a folder of this name (RFC 5490 <c>mailboxexists</c>).</summary>
    bool FolderExists(string folder);

    /// <summary>Whether a duplicate or vacation record with this key exists and has not expired.</summary>
    bool IsTracked(string key);

    /// <summary>
    /// The compiled included script (RFC 6609): null when it does not exist (<paramref name="error"/> null) or does not
    /// compile (<paramref name="error"/> says why).
    /// </summary>
    CompiledScript? LoadInclude(bool global, string name, out string? error);
}
