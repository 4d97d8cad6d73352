namespace Mailroom.Configuration;

/// <summary>A configuration problem, with a message meant for the admin: it names the key and what is wrong.</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException()
    {
    }
}
