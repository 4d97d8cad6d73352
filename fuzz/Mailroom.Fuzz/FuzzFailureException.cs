namespace Mailroom.Fuzz;

/// <summary>A target's invariant did not hold for an input (the parser did not throw, but it is still wrong).</summary>
internal sealed class FuzzFailureException : Exception
{
    public FuzzFailureException()
    {
    }

    public FuzzFailureException(string message)
        : base(message)
    {
    }

    public FuzzFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
