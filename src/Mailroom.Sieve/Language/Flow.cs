namespace Mailroom.Sieve.Language;

/// <summary>What happens after a command ran.</summary>
internal enum Flow
{
    /// <summary>Go on with the next command.</summary>
    Next,

    /// <summary><c>stop</c> (RFC 5228 §3.3): end every script of the execution.</summary>
    Stop,

    /// <summary><c>return</c> (RFC 6609 §3.3): end the current included script.</summary>
    Return,
}
