namespace Mailroom.Store.Maildir;

/// <summary>
/// The folder index could not be opened because its file system is full. It carries ENOSPC as its HResult, as .NET's
/// own IOExceptions do on Unix, so the protocols answer with their temporary "insufficient storage" reply
/// (<see cref="Core.StorageErrors"/>) instead of treating the index as torn.
/// </summary>
public sealed class IndexStorageFullException : IOException
{
    private const int NoSpace = 28;

    public IndexStorageFullException()
        : this("No space left on device for the folder index")
    {
    }

    public IndexStorageFullException(string message)
        : base(message) => HResult = NoSpace;

    public IndexStorageFullException(string message, Exception innerException)
        : base(message, innerException) => HResult = NoSpace;
}
