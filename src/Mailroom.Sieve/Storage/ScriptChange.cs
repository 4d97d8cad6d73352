namespace Mailroom.Sieve.Storage;

/// <summary>The outcome of a change to a user's scripts, each with the ManageSieve response it calls for (RFC 5804 §1.3).</summary>
public enum ScriptChange
{
    Ok,

    /// <summary>No such script (NO (NONEXISTENT)).</summary>
    NotFound,

    /// <summary>The active script cannot be deleted (NO (ACTIVE)).</summary>
    Active,

    /// <summary>The new name is taken (NO (ALREADYEXISTS)).</summary>
    AlreadyExists,

    /// <summary>Too many scripts (NO (QUOTA/MAXSCRIPTS)).</summary>
    TooManyScripts,

    /// <summary>The script is larger than allowed (NO (QUOTA/MAXSIZE)).</summary>
    TooLarge,

    /// <summary>The user's scripts would take more room than allowed (NO (QUOTA)).</summary>
    OverQuota,
}
