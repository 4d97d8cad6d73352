using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mailroom.Fuzz.Sessions;

/// <summary>
/// Logging for the session targets: every event is formatted (so the log code runs on fuzzed values) and dropped,
/// except errors, which are what a session logs when it caught an unexpected exception at its edge
/// ("session failed", "* BYE Internal error", "421 4.3.0"): those are findings.
/// </summary>
internal sealed class FuzzLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _errors = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>Throws when an error was logged since the last call, with the first one's text and exception.</summary>
    public void ThrowIfErrors()
    {
        if (_errors.TryDequeue(out string? first))
        {
            _errors.Clear();
            throw new FuzzFailureException("the session logged an error: " + first);
        }
    }

    private sealed class Logger(FuzzLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string message = formatter(state, exception);
            if (logLevel >= LogLevel.Error)
            {
                owner._errors.Enqueue($"{category}[{eventId.Id}] {message}{Environment.NewLine}{exception}");
            }
        }
    }
}
