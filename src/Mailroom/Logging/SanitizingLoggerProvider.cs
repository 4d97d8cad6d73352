using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Logging;

/// <summary>
/// Wraps a logger provider (the diagnostics console) so that every message it formats passes through
/// <see cref="LogText.Sanitize"/>, as mail-log lines do in <see cref="SyslogLine"/>: diagnostics carry client values
/// too (user names of failed directory lookups, command names), and stderr usually ends in the journal or a terminal.
/// </summary>
internal sealed class SanitizingLoggerProvider(ILoggerProvider inner) : ILoggerProvider
{
    /// <summary>Replaces the registration of <typeparamref name="TProvider"/> with the same provider wrapped in this one.</summary>
    public static void Wrap<TProvider>(IServiceCollection services)
        where TProvider : class, ILoggerProvider
    {
        ArgumentNullException.ThrowIfNull(services);
        ServiceDescriptor descriptor = services.Single(static d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(TProvider));
        services.Remove(descriptor);
        services.AddSingleton<ILoggerProvider>(static provider => new SanitizingLoggerProvider(ActivatorUtilities.CreateInstance<TProvider>(provider)));
    }

    public ILogger CreateLogger(string categoryName) => new SanitizingLogger(inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    private sealed class SanitizingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, (s, e) => LogText.Sanitize(formatter(s, e)));
    }
}
