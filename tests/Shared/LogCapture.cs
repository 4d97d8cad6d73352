using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mailroom.Testing;

/// <summary>A logger provider that keeps every formatted message with its category.</summary>
internal sealed class LogCapture : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    /// <summary>The mail-log lines of one category, in order.</summary>
    public IReadOnlyList<string> Lines(string category) =>
        [.. Entries.Where(e => e.Category == category && e.Level == LogLevel.Information).Select(e => e.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
