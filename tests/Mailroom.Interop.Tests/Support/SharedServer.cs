[assembly: AssemblyFixture(typeof(Mailroom.Interop.Tests.Support.SharedServer))]

namespace Mailroom.Interop.Tests.Support;

/// <summary>
/// One server for the tests that only send mail and read it back: every test marks its message with a unique tag,
/// so they share it safely in parallel, and the project pays for one process start instead of one per test.
/// Tests that change configuration, the directory or kill the process start their own <see cref="MailroomServer"/>.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public const string Domain = "example.org";
    public const string Samt = "samt@example.org";
    public const string Alice = "alice@example.org";

    private MailroomServer? _server;

    public MailroomServer Server => _server ?? throw new InvalidOperationException("not initialized");

    public async ValueTask InitializeAsync()
    {
        _server = await MailroomServer.StartAsync(provision: async server =>
        {
            await server.AddDomainAsync(Domain);
            await Task.WhenAll(server.AddUserAsync(Samt), server.AddUserAsync(Alice));
            await server.AddAliasAsync("postmaster@example.org", Samt);
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A tag unique in this run, to find one test's message among all the others.</summary>
    public static string NewTag(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
