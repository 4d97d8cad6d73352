using System.CommandLine;
using Mailroom.Configuration;
using Mailroom.Hosting;
using Mailroom.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mailroom.Cli;

/// <summary><c>mailroom config check</c>: validates the configuration exactly as <c>serve</c> would, without serving.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var check = new Command("check", "Validate the configuration (file, MAILROOM__ environment variables, --set overrides) and show the listeners.");
        check.SetAction((result, ct) => CommandLine.RunAsync(() => CheckAsync(result)));
        var show = new Command("show", "Print every setting in force and where its value came from (default, data directory, file, environment, --set).");
        show.SetAction((result, ct) => CommandLine.RunAsync(() => ShowAsync(result)));
        var command = new Command("config", "Inspect the configuration.");
        command.Subcommands.Add(check);
        command.Subcommands.Add(show);
        return command;
    }

    private static async Task<int> ShowAsync(ParseResult result)
    {
        IConfigurationRoot configuration = GlobalOptions.Configuration(result);
        using IHost host = ServerHostFactory.Build(configuration, logging => logging.ClearProviders());
        IReadOnlyList<EffectiveSetting> settings;
        try
        {
            settings = EffectiveConfiguration.Describe(configuration, type => BoundOptions(host.Services, type));
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex, configuration) is { } message)
        {
            throw new ConfigurationException(message, ex);
        }

        await Console.Out.WriteLineAsync($"# data directory {GlobalOptions.Paths(result).Root}").ConfigureAwait(false);
        TextTable.Write(Console.Out, ["key", "value", "from"], settings.Select(s => new[] { s.Key, s.Value, s.Source }));
        return 0;
    }

    /// <summary>The options instance of <paramref name="type"/> as the server binds and validates it.</summary>
    internal static object BoundOptions(IServiceProvider services, Type type)
    {
        Type optionsType = typeof(IOptions<>).MakeGenericType(type);
        return optionsType.GetProperty(nameof(IOptions<object>.Value))!.GetValue(services.GetRequiredService(optionsType))!;
    }

    private static async Task<int> CheckAsync(ParseResult result)
    {
        IConfigurationRoot configuration = GlobalOptions.Configuration(result);
        using IHost host = ServerHostFactory.Build(configuration, logging => logging.ClearProviders());
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
            List<ListenerBinding> listeners = host.Services.GetServices<ListenerBinding>().ToList();
            if (!string.IsNullOrEmpty(host.Services.GetRequiredService<IOptions<NetOptions>>().Value.Tls.CertificateFile))
            {
                host.Services.GetRequiredService<TlsCertificateProvider>().EnsureLoaded();
            }

            await Console.Out.WriteLineAsync("configuration ok").ConfigureAwait(false);
            foreach (ListenerBinding listener in listeners)
            {
                string where = listener.EndPoints.Count == 0 ? "disabled" : string.Join(", ", listener.EndPoints);
                await Console.Out.WriteLineAsync($"  {listener.Name,-11} {where}{(listener.ImplicitTls ? " (implicit TLS)" : "")}").ConfigureAwait(false);
            }

            return 0;
        }
        catch (NetStartupException ex)
        {
            throw new ConfigurationException(ex.Message, ex);
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex, configuration) is { } message)
        {
            throw new ConfigurationException(message, ex);
        }
    }
}
