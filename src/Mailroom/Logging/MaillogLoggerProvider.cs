using System.Text;
using Mailroom.Core;
using Microsoft.Extensions.Logging;

namespace Mailroom.Logging;

/// <summary>
/// Turns Information-and-above events of the <c>mailroom/*</c> categories into syslog-style mail-log lines.
/// Components log through <c>[LoggerMessage]</c> partials whose text is the Postfix/Dovecot line body.
/// </summary>
internal sealed class MaillogLoggerProvider : ILoggerProvider
{
    private readonly MaillogWriter _writer;
    private readonly string _host;
    private readonly string _syslogName;
    private readonly TimeProvider _time;
    private readonly int _pid = Environment.ProcessId;

    public MaillogLoggerProvider(MaillogWriter writer, string host, string syslogName, TimeProvider time)
    {
        _writer = writer;
        _host = host;
        _syslogName = syslogName;
        _time = time;
    }

    public ILogger CreateLogger(string categoryName) =>
        MaillogCategories.IsMaillog(categoryName)
            ? new MaillogLogger(this, SyslogLine.Tag(categoryName, _syslogName))
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Write(string tag, string text)
    {
        var builder = new StringBuilder(96 + text.Length);
        SyslogLine.Append(builder, _time.GetLocalNow(), _host, tag, _pid, text);
        _writer.Write(builder.ToString());
    }

    private sealed class MaillogLogger(MaillogLoggerProvider owner, string tag) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string text = formatter(state, exception);
            if (logLevel >= LogLevel.Warning && !text.StartsWith("warning:", StringComparison.Ordinal) && !text.StartsWith("fatal:", StringComparison.Ordinal))
            {
                // Postfix marks problems in the text itself; keep that convention for greps like "grep warning:".
                text = (logLevel >= LogLevel.Critical ? "fatal: " : "warning: ") + text;
            }

            owner.Write(tag, text);
        }
    }
}
