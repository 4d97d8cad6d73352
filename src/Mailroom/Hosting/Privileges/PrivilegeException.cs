namespace Mailroom.Hosting.Privileges;

/// <summary>Start-up cannot continue with least privilege; the message says what failed and what to change.</summary>
internal sealed class PrivilegeException : Exception
{
    public PrivilegeException(string message)
        : base(message)
    {
    }

    public PrivilegeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PrivilegeException()
    {
    }
}
