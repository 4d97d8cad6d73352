namespace Mailroom.Cli;

/// <summary>A verb failed for a reason the user can fix; the message goes to stderr and the exit code is 1.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException()
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
