namespace Mailroom.Sieve.Storage;

/// <param name="Name">The script's name.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Active">It is the one run at delivery.</param>
public sealed record ScriptEntry(string Name, long Size, bool Active);
