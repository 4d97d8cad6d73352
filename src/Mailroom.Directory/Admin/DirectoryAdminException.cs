namespace Mailroom.Directory.Admin;

/// <summary>An administrative request was refused; the message says why and, where possible, what to do.</summary>
public sealed class DirectoryAdminException : Exception
{
    public DirectoryAdminException()
    {
    }

    public DirectoryAdminException(string message)
        : base(message)
    {
    }

    public DirectoryAdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
