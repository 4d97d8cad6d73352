using Mailroom.Directory;
using Microsoft.Extensions.Hosting;

namespace Mailroom.Hosting;

/// <summary>
/// Before anything asks the directory a question: creates or migrates the SQLite file (an external database is
/// never altered), then checks the custom lookup queries (a bad one stops start-up with one line naming its key).
/// </summary>
internal sealed class DirectoryInitializer(SqlMailDirectory directory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await directory.ValidateQueriesAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
