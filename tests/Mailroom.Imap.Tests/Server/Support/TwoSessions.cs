using Mailroom.Store;

namespace Mailroom.Imap.Tests.Server.Support;

/// <summary>
/// A test server with charlie logged in twice: the session under test, and another one whose changes it should hear
/// of (as NOTIFY, QRESYNC and the keyword announcements are about what other sessions do).
/// </summary>
internal sealed class TwoSessions : IAsyncDisposable
{
    private TwoSessions(ImapTestServer server, RawImapClient client, RawImapClient other)
    {
        Server = server;
        Client = client;
        Other = other;
    }

    public ImapTestServer Server { get; }

    /// <summary>The session under test.</summary>
    public RawImapClient Client { get; }

    /// <summary>The session that changes things.</summary>
    public RawImapClient Other { get; }

    /// <summary>
    /// Starts the server (on Maildir when <paramref name="maildir"/>, else in memory), delivers
    /// <paramref name="delivered"/> messages to INBOX, then logs both sessions in.
    /// </summary>
    public static async Task<TwoSessions> StartAsync(int delivered = 0, Action<ImapOptions>? configure = null, bool maildir = false,
        Action<StoreOptions>? configureStore = null)
    {
        ImapTestServer server = await ImapTestServer.StartAsync(configure, maildir: maildir, configureStore: configureStore);
        await server.DeliverMessagesAsync(delivered);
        return new TwoSessions(server, await server.LoggedInAsync(), await server.LoggedInAsync());
    }

    /// <summary>
    /// Both sessions select INBOX, the other one first, each after ENABLE <paramref name="enable"/> when given; returns
    /// the SELECT response of the session under test.
    /// </summary>
    public async Task<List<string>> SelectInboxAsync(string? enable = null)
    {
        await SelectAsync(Other, enable);
        return await SelectAsync(Client, enable);
    }

    private static async Task<List<string>> SelectAsync(RawImapClient session, string? enable)
    {
        if (enable is not null)
        {
            await session.CommandAsync("e", "ENABLE " + enable);
        }

        return await session.CommandAsync("s", "SELECT INBOX");
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Other.DisposeAsync();
        await Server.DisposeAsync();
    }
}
