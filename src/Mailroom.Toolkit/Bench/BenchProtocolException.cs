namespace Mailroom.Toolkit.Bench;

/// <summary>The server refused a step a benchmark connection cannot do without (greeting, EHLO, STARTTLS, AUTH).</summary>
internal sealed class BenchProtocolException : Exception
{
    public BenchProtocolException()
    {
    }

    public BenchProtocolException(string message)
        : base(message)
    {
    }

    public BenchProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
