using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mailroom.Hosting;

/// <summary>Builds the server host from a configuration; <c>serve</c> runs it, <c>config check</c> only inspects it.</summary>
internal static class ServerHostFactory
{
    public static IHost Build(IConfiguration configuration, Action<ILoggingBuilder> configureLogging, Action<IServiceCollection>? configureServices = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddMailroomServer(configuration);
        configureServices?.Invoke(builder.Services);
        configureLogging(builder.Logging);
        return builder.Build();
    }
}
