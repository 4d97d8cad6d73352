using Mailroom.Directory.Sqlite;
using Microsoft.Extensions.Hosting;

namespace Mailroom.Hosting;

/// <summary>Creates or migrates the directory database before anything asks it a question.</summary>
internal sealed class DirectoryInitializer(SqliteDirectoryDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
