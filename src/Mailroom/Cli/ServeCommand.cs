using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Reflection;
using Mailroom.Configuration;
using Mailroom.Core;
using Mailroom.Directory;
using Mailroom.Hosting;
using Mailroom.Hosting.Observability;
using Mailroom.Hosting.Reload;
using Mailroom.Hosting.Privileges;
using Mailroom.Logging;
using Mailroom.Net;
using Mailroom.Policy.Dkim;
using Mailroom.Policy.Srs;
using Mailroom.Queue;
using Mailroom.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Mailroom.Cli;

/// <summary><c>mailroom serve</c>: runs the mail server until SIGINT/SIGTERM.</summary>
internal static class ServeCommand
{
    private static readonly string[] ListenerNames = ["smtp", "submission", "smtps", "pop3", "pop3s", "imap", "imaps", "managesieve"];

    public static Command Create()
    {
        var command = new Command(
            "serve",
            "Run the mail server on the data directory until SIGINT/SIGTERM (SIGHUP reloads the configuration); no configuration file needed. " +
            "Services and their default ports: smtp 25 (MTA, STARTTLS; Smtp:Port), submission 587 (STARTTLS + AUTH; Smtp:SubmissionPort), " +
            "smtps 465 (implicit TLS; Smtp:SmtpsPort), pop3 110 (STLS; Pop3:Port), pop3s 995 (Pop3:Pop3sPort), imap 143 (STARTTLS; Imap:Port), " +
            "imaps 993 (Imap:ImapsPort), managesieve 4190 (STARTTLS; ManageSieve:Port), metrics and health on http://127.0.0.1:9587 (Metrics:Listen; empty disables), and the control " +
            "socket of `mailroom status` in the data directory. " +
            "A port of -1 disables its service.");
        command.SetAction((result, cancellationToken) => CommandLine.RunAsync(() => RunAsync(result, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        DataDirectoryGuard.Announce(result, Console.Out);
        DataPaths paths = GlobalOptions.Paths(result);
        IConfigurationRoot configuration = GlobalOptions.Configuration(result);
        MaillogOptions maillog = configuration.GetSection("Log").Get<MaillogOptions>() ?? new MaillogOptions();
        System.IO.Directory.CreateDirectory(paths.Root);
        using DataDirectoryLock dataLock = DataDirectoryLock.Acquire(paths.Root);

        // fsync blocks a pool thread; with the default minimum on a small machine, durable commits queue up
        // behind thread injection. A higher floor keeps group commit fed.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

        var recentErrors = new RecentErrors(TimeProvider.System);
        await using var writer = new MaillogWriter(maillog.MaillogPath, maillog.Console ? Console.Out : null);
        using IHost host = ServerHostFactory.Build(
            configuration,
            logging => ConfigureLogging(logging, writer, maillog, recentErrors),
            services => services.AddMailroomObservability(paths.Root, recentErrors));
        try
        {
            // DESIGN invariant 6, in this order: bind (ports below 1024 need root) and read the certificate (its key may
            // be root's alone), then become the service user; only then start the directory, the queue and accepting.
            // Under systemd (User=mailroom, AmbientCapabilities=CAP_NET_BIND_SERVICE) the process is not root and binds
            // as the service user: there is nothing to drop.
            MailListenerHost listeners = host.Services.GetRequiredService<MailListenerHost>();
            listeners.Bind();
            await LeastPrivilege.EnterServiceAsync(
                host.Services.GetRequiredService<IOptions<ServerOptions>>().Value,
                Layout(host.Services, paths),
                CertificateFiles(host.Services),
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LeastPrivilege)),
                cancellationToken).ConfigureAwait(false);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PrivilegeException ex)
        {
            await Console.Error.WriteLineAsync($"mailroom: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (((ex as NetStartupException)?.Message ?? ConfigurationErrors.Describe(ex, configuration)) is { } message)
        {
            await Console.Error.WriteLineAsync($"mailroom: configuration error: {message}").ConfigureAwait(false);
            return 1;
        }

        var reloader = new ConfigurationReloader(
            () => GlobalOptions.Configuration(result),
            configuration,
            host.Services,
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ConfigurationReloader>());
        using var notifier = new ServiceManagerNotifier();
        using PosixSignalRegistration hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // SIGHUP would end the process; here it means "read the configuration again" (Postfix, Dovecot, nginx).
            // Registered before the listening lines: whoever waits for them may send SIGHUP at once.
            context.Cancel = true;
            _ = Task.Run(async () =>
            {
                notifier.Reloading();
                await reloader.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
                notifier.Ready();
            }, CancellationToken.None);
        });

        ILogger master = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(MaillogCategories.Master);
        ServerLog.Started(master, Version, paths.Root);
        MailListenerHost bound = host.Services.GetRequiredService<MailListenerHost>();
        foreach (string name in ListenerNames)
        {
            foreach (IPEndPoint endPoint in bound.GetBoundEndPoints(name))
            {
                await Console.Out.WriteLineAsync($"mailroom: {name} listening on {endPoint}").ConfigureAwait(false);
            }
        }

        if (host.Services.GetRequiredService<ObservabilityServer>().BoundEndPoint is { } metrics)
        {
            await Console.Out.WriteLineAsync($"mailroom: metrics listening on {metrics}").ConfigureAwait(false);
        }

        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        notifier.Ready();
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        notifier.Stopping();
        ServerLog.Stopping(master);
        return 0;
    }

    /// <summary>Where this configuration keeps its data (see <see cref="DataLayout"/>).</summary>
    private static DataLayout Layout(IServiceProvider services, DataPaths paths)
    {
        string mail = services.GetRequiredService<IOptions<StoreOptions>>().Value.MailRoot;
        NetTlsOptions tls = services.GetRequiredService<IOptions<NetOptions>>().Value.Tls;
        DirectoryOptions directory = services.GetRequiredService<IOptions<DirectoryOptions>>().Value;
        // The DKIM keys and the SRS secret are private to the service user like the mail, wherever they are configured.
        List<string> directories =
        [
            paths.Root, mail, services.GetRequiredService<IOptions<QueueOptions>>().Value.QueueDirectory,
            services.GetRequiredService<IOptions<DkimOptions>>().Value.KeyDirectory,
            services.GetRequiredService<IOptions<MaillogOptions>>().Value.TraceSettings().Directory,
        ];
        if (tls.CertificateFile is null)
        {
            directories.Add(tls.TlsDirectory);
        }

        List<string> files = [DataDirectoryLock.PathIn(paths.Root), services.GetRequiredService<IOptions<SrsOptions>>().Value.SecretFile];
        if (directory.Provider == DirectoryProvider.Sqlite)
        {
            files.Add(directory.DatabasePath);
        }

        if (services.GetRequiredService<IOptions<MaillogOptions>>().Value.MaillogPath is { } log)
        {
            files.Add(log);
        }

        return new DataLayout(paths.Root, mail, directories, files);
    }

    /// <summary>Configured certificate and key files (a self-signed certificate lives in the data and needs nothing).</summary>
    private static string[] CertificateFiles(IServiceProvider services)
    {
        NetTlsOptions tls = services.GetRequiredService<IOptions<NetOptions>>().Value.Tls;
        return tls.CertificateFile is null ? [] : [tls.CertificateFile, .. tls.KeyFile is null ? Array.Empty<string>() : [tls.KeyFile]];
    }

    private static string Version =>
        typeof(ServeCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    private static void ConfigureLogging(ILoggingBuilder logging, MaillogWriter writer, MaillogOptions options, RecentErrors recentErrors)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        // Diagnostics go to stderr; mail-log lines have their own provider (file + stdout), not this one.
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        // Diagnostics carry client values too (user names, command names): control characters are censored as in the mail log.
        SanitizingLoggerProvider.Wrap<ConsoleLoggerProvider>(logging.Services);
        logging.AddFilter<SanitizingLoggerProvider>((category, level) => category switch
        {
            null => level >= LogLevel.Information,
            _ when MaillogCategories.IsMaillog(category) => false,
            // The host logs a start-up failure with its stack trace; we print it as one line ourselves.
            "Microsoft.Extensions.Hosting.Internal.Host" => false,
            _ when category.StartsWith("Microsoft", StringComparison.Ordinal) => level >= LogLevel.Warning,
            _ => level >= LogLevel.Information,
        });
        logging.AddProvider(recentErrors);
        logging.AddFilter<RecentErrors>((category, level) => category is not null && !MaillogCategories.IsMaillog(category) && level >= LogLevel.Warning);
        string host = options.HostName ?? Dns.GetHostName().Split('.')[0];
        logging.AddProvider(new MaillogLoggerProvider(writer, host, options.SyslogName, TimeProvider.System));
    }
}
