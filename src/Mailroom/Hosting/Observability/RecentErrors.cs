using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting.Observability;

/// <summary>
/// Keeps the last warnings and errors of the diagnostics log for <c>mailroom status</c>, so that an admin sees what
/// went wrong lately without searching the journal. Bounded: the oldest go first.
/// </summary>
internal sealed class RecentErrors : ILoggerProvider
{
    public const int Capacity = 10;

    private readonly Queue<RecentError> _entries = new();
    private readonly TimeProvider _time;

    public RecentErrors(TimeProvider time) => _time = time;

    public IReadOnlyList<RecentError> Snapshot()
    {
        lock (_entries)
        {
            return [.. _entries];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, string message)
    {
        lock (_entries)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(new RecentError(_time.GetUtcNow(), level.ToString(), category, Logging.LogText.Sanitize(message)));
        }
    }

    private sealed class Logger(RecentErrors owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            owner.Add(category, logLevel, exception is null ? message : $"{message}: {exception.Message}");
        }
    }
}

/// <summary>One remembered warning or error.</summary>
internal sealed record RecentError(DateTimeOffset Time, string Level, string Category, string Message);
