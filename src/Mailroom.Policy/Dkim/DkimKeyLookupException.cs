namespace Mailroom.Policy.Dkim;

/// <summary>
/// A public key could not be had: <see cref="Temporary"/> for DNS trouble (RFC 6376 §6.1.2 TEMPFAIL), otherwise the
/// key is missing, revoked or unusable (PERMFAIL).
/// </summary>
public sealed class DkimKeyLookupException : Exception
{
    public DkimKeyLookupException()
    {
    }

    public DkimKeyLookupException(string message)
        : base(message)
    {
    }

    public DkimKeyLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DkimKeyLookupException(string message, bool temporary)
        : base(message)
    {
        Temporary = temporary;
    }

    public bool Temporary { get; }
}
