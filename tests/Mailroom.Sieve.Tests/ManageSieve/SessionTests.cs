using System.Text;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.ManageSieve;

/// <summary>The ManageSieve dialogue (RFC 5804) on the real listener, as typed: exact responses, limits on both sides.</summary>
public sealed class SessionTests
{
    private const string Valid = "require \"fileinto\";\r\nif header :contains \"subject\" \"news\" { fileinto \"News\"; }\r\n";

    [Fact]
    public async Task GreetingListsTheCapabilitiesThenOk()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync(readGreeting: false);

        List<string> greeting = await client.ReadResponseAsync();

        Assert.Equal("\"IMPLEMENTATION\" \"Mailroom\"", greeting[0]);
        Assert.StartsWith("\"SIEVE\" \"fileinto reject ereject envelope encoded-character vacation vacation-seconds subaddress", greeting[1], StringComparison.Ordinal);
        Assert.DoesNotContain("spamtest", greeting[1], StringComparison.Ordinal);
        Assert.Contains("\"SASL\" \"PLAIN\"", greeting);
        Assert.Contains("\"STARTTLS\"", greeting);
        Assert.Contains("\"MAXREDIRECTS\" \"4\"", greeting);
        Assert.Contains("\"VERSION\" \"1.0\"", greeting);
        Assert.Equal("OK \"Mailroom ManageSieve ready.\"", greeting[^1]);
    }

    [Fact]
    public async Task LoginWithInitialResponseOrAfterTheEmptyChallenge()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient first = await server.ConnectAsync();
        await using ManageSieveClient second = await server.ConnectAsync();
        string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{ManageSieveTestServer.Charlie}\0{ManageSieveTestServer.CharliePassword}"));

        List<string> direct = await first.CommandAsync($"AUTHENTICATE \"PLAIN\" \"{plain}\"");
        await second.SendAsync("AUTHENTICATE \"PLAIN\"\r\n");
        string? challenge = await second.ReadLineAsync();
        await second.SendAsync($"{{{plain.Length}+}}\r\n{plain}\r\n");
        List<string> continued = await second.ReadResponseAsync();

        Assert.Equal(["OK \"Logged in.\""], direct);
        Assert.Equal("\"\"", challenge);
        Assert.Equal(["OK \"Logged in.\""], continued);
        Assert.Contains(server.Logs.Lines(Core.MaillogCategories.ManageSieve),
            l => l == "managesieve-login: Login: user=<charlie@alpha.example.org>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, secured");
    }

    [Fact]
    public async Task WrongPasswordIsRefusedAndCancelledExchangeToo()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();
        string wrong = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{ManageSieveTestServer.Charlie}\0nope"));

        List<string> refused = await client.CommandAsync($"AUTHENTICATE \"PLAIN\" \"{wrong}\"");
        await client.SendAsync("AUTHENTICATE \"PLAIN\"\r\n");
        await client.ReadLineAsync();
        List<string> cancelled = await client.CommandAsync("\"*\"");

        Assert.Equal(["NO \"Authentication failed.\""], refused);
        Assert.Equal(["NO \"Authentication aborted.\""], cancelled);
    }

    [Fact]
    public async Task PlaintextLoginIsRefusedUntilStartTlsWhichReissuesTheCapabilities()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.AllowPlaintextAuthOnLoopback = false);
        await using ManageSieveClient client = await server.ConnectAsync(readGreeting: false);
        List<string> greeting = await client.ReadResponseAsync();
        string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{ManageSieveTestServer.Charlie}\0{ManageSieveTestServer.CharliePassword}"));

        List<string> refused = await client.CommandAsync($"AUTHENTICATE \"PLAIN\" \"{plain}\"");
        List<string> starting = await client.CommandAsync("STARTTLS");
        await client.StartTlsAsync("localhost");
        List<string> afterTls = await client.ReadResponseAsync();
        List<string> login = await client.CommandAsync($"AUTHENTICATE \"PLAIN\" \"{plain}\"");

        Assert.Contains("\"SASL\" \"\"", greeting);
        Assert.Equal(["NO (ENCRYPT-NEEDED) \"Plaintext authentication disallowed on non-secure connections.\""], refused);
        Assert.Equal(["OK \"Begin TLS negotiation now.\""], starting);
        Assert.Contains("\"SASL\" \"PLAIN\"", afterTls);
        Assert.DoesNotContain("\"STARTTLS\"", afterTls);
        Assert.Equal("OK \"TLS negotiation successful.\"", afterTls[^1]);
        Assert.Equal(["OK \"Logged in.\""], login);
    }

    [Fact]
    public async Task ScriptLifecycleUploadListActivateDownloadRenameDelete()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        Assert.Equal(["OK \"Putscript completed.\""], await client.PutScriptAsync("main", Valid));
        Assert.Equal(["OK \"Putscript completed.\""], await client.PutScriptAsync("other", "keep;\r\n"));
        Assert.Equal(["OK \"Setactive completed.\""], await client.CommandAsync("SETACTIVE \"main\""));
        Assert.Equal(["\"main\" ACTIVE", "\"other\"", "OK \"Listscripts completed.\""], await client.CommandAsync("LISTSCRIPTS"));
        Assert.Equal([$"{{{Encoding.UTF8.GetByteCount(Valid)}}}", "require \"fileinto\";", "if header :contains \"subject\" \"news\" { fileinto \"News\"; }", "", "OK \"Getscript completed.\""],
            await client.CommandAsync("GETSCRIPT \"main\""));
        Assert.Equal(["NO (ACTIVE) \"Cannot delete the active script.\""], await client.CommandAsync("DELETESCRIPT \"main\""));
        Assert.Equal(["NO (ALREADYEXISTS) \"A script of that name already exists.\""], await client.CommandAsync("RENAMESCRIPT \"main\" \"other\""));
        Assert.Equal(["OK \"Renamescript completed.\""], await client.CommandAsync("RENAMESCRIPT \"main\" \"renamed\""));
        Assert.Equal(["OK \"Deletescript completed.\""], await client.CommandAsync("DELETESCRIPT \"other\""));
        Assert.Equal(["\"renamed\" ACTIVE", "OK \"Listscripts completed.\""], await client.CommandAsync("LISTSCRIPTS"));
        Assert.Equal(["NO (NONEXISTENT) \"Script does not exist.\""], await client.CommandAsync("GETSCRIPT \"main\""));
        Assert.Equal(["OK \"Setactive completed.\""], await client.CommandAsync("SETACTIVE \"\""));
        Assert.Equal(["\"renamed\"", "OK \"Listscripts completed.\""], await client.CommandAsync("LISTSCRIPTS"));
    }

    [Fact]
    public async Task ScriptWithAnErrorIsRefusedWithItsLineAndColumnAndNotStored()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        List<string> put = await client.PutScriptAsync("bad", "require \"fileinto\";\r\nfileinto :frob \"x\";\r\n");
        List<string> check = await client.CommandAsync("CHECKSCRIPT \"keep;\"");
        List<string> list = await client.CommandAsync("LISTSCRIPTS");

        Assert.Equal(["NO \"line 2, column 10: error: unknown tagged argument ':frob' for the fileinto command.\""], put);
        Assert.Equal(["OK \"Script is valid.\""], check);
        Assert.Equal(["OK \"Listscripts completed.\""], list);
    }

    [Fact]
    public async Task HaveSpaceAnswersTheSizeQuotaOnBothSides()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(sieve: new SieveOptions { MaxScriptSize = 2048 });
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        Assert.Equal(["OK \"Putscript would succeed.\""], await client.CommandAsync("HAVESPACE \"a\" 2048"));
        Assert.Equal(["NO (QUOTA/MAXSIZE) \"Script is too large.\""], await client.CommandAsync("HAVESPACE \"a\" 2049"));
    }

    [Fact]
    public async Task ScriptCountQuotaIsAnsweredWithItsCode()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(sieve: new SieveOptions { MaxScripts = 1 });
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        Assert.Equal(["OK \"Putscript completed.\""], await client.PutScriptAsync("a", "keep;"));
        Assert.Equal(["NO (QUOTA/MAXSCRIPTS) \"Too many scripts.\""], await client.PutScriptAsync("b", "keep;"));
        Assert.Equal(["NO (QUOTA/MAXSCRIPTS) \"Too many scripts.\""], await client.CommandAsync("HAVESPACE \"b\" 5"));
    }

    [Fact]
    public async Task LiteralSomewhatOverTheLimitIsReadAndRefusedAndTheSessionGoesOn()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.MaxLineLength = 1024, new SieveOptions { MaxScriptSize = 1024 });
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        List<string> atLimit = await client.PutScriptAsync("fits", "#" + new string('x', 1021) + "\r\n");
        List<string> over = await client.PutScriptAsync("big", "#" + new string('x', 3000) + "\r\n");
        List<string> after = await client.CommandAsync("NOOP");

        Assert.Equal(["OK \"Putscript completed.\""], atLimit);
        Assert.Equal(["NO (QUOTA/MAXSIZE) \"Script is too large.\""], over);
        Assert.Equal(["OK \"NOOP completed.\""], after);
    }

    [Fact]
    public async Task LiteralFarOverTheLimitEndsTheSessionBeforeItIsRead()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.MaxLineLength = 1024, new SieveOptions { MaxScriptSize = 1024 });
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        List<string> response = await client.CommandAsync("PUTSCRIPT \"huge\" {10000000+}");

        Assert.Equal(["BYE (QUOTA/MAXSIZE) \"Literal too large.\""], response);
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task LineOverTheLimitEndsTheSession()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.MaxLineLength = 1024);
        await using ManageSieveClient client = await server.ConnectAsync();

        List<string> fits = await client.CommandAsync("NOOP \"" + new string('a', 1024 - 7) + "\"");
        List<string> over = await client.CommandAsync("NOOP \"" + new string('a', 1024 - 6) + "\"");

        Assert.Equal("OK", fits[0][..2]);
        Assert.Equal(["BYE \"Command line too long.\""], over);
    }

    [Fact]
    public async Task CommandsOutOfStateAndUnknownOnesAreRefusedUntilTheBudgetEndsTheSession()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync(o => o.MaxErrors = 3);
        await using ManageSieveClient client = await server.ConnectAsync();

        Assert.Equal(["NO \"Authenticate first.\""], await client.CommandAsync("LISTSCRIPTS"));
        Assert.Equal(["NO \"Unknown command.\""], await client.CommandAsync("FROBNICATE"));
        Assert.Equal(["NO \"Unterminated quoted string.\""], await client.CommandAsync("NOOP \"open"));
        Assert.Equal("BYE \"Too many invalid commands.\"", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task NoopEchoesItsTag()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();

        Assert.Equal(["OK (TAG \"STARTTLS-SYNC-42\") \"Done\""], await client.CommandAsync("NOOP \"STARTTLS-SYNC-42\""));
    }

    [Fact]
    public async Task UnauthenticateReturnsToTheStateBeforeLogin()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        Assert.Equal(["OK \"Unauthenticate completed.\""], await client.CommandAsync("UNAUTHENTICATE"));
        Assert.Equal(["NO \"Authenticate first.\""], await client.CommandAsync("LISTSCRIPTS"));
    }

    [Fact]
    public async Task CommandSentOneByteAtATimeIsUnderstood()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);

        foreach (byte b in Encoding.UTF8.GetBytes("PUTSCRIPT \"split\" {5+}\r\nkeep;\r\n"))
        {
            await client.SendAsync([b]);
        }

        Assert.Equal(["OK \"Putscript completed.\""], await client.ReadResponseAsync());
        Assert.Equal(["\"split\"", "OK \"Listscripts completed.\""], await client.CommandAsync("LISTSCRIPTS"));
    }

    [Fact]
    public async Task LogoutIsLoggedAsDovecotLogsIt()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        await using ManageSieveClient client = await server.ConnectAsync();
        await client.LoginAsync(ManageSieveTestServer.Charlie, ManageSieveTestServer.CharliePassword);
        await client.PutScriptAsync("main", "keep;");

        Assert.Equal(["OK \"Logout completed.\""], await client.CommandAsync("LOGOUT"));
        IReadOnlyList<string> lines = await server.LinesAfterDisconnectAsync();

        Assert.Contains("managesieve(charlie@alpha.example.org): sieve: stored script 'main'", lines);
        Assert.Contains(lines, l => l.StartsWith("managesieve(charlie@alpha.example.org): Disconnected: Logged out bytes=", StringComparison.Ordinal));
    }
}
