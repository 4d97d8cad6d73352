using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.ManageSieve;

/// <summary>
/// sieve-connect (Debian's ManageSieve client, nobody here wrote it) against the server: STARTTLS, PLAIN, upload, check,
/// activate, list, download, deactivate, delete; and a script with a syntax error refused with its line number.
/// </summary>
public sealed class SieveConnectTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(ManageSieveTestServer server, params string[] arguments)
    {
        string tool = ExternalTool.Require("sieve-connect", "sieve-connect");
        string[] common =
        [
            "--server", "127.0.0.1", "--port", server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--user", ManageSieveTestServer.Charlie, "--passwordfd", "0", "--notlsverify",
        ];
        ProcessResult result = await ExternalTool.RunAsync(tool, [.. common, .. arguments], ManageSieveTestServer.CharliePassword + "\n");
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    [Fact]
    public async Task UploadCheckActivateListDownloadAndDelete()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        string directory = server.Root.Root;
        string local = Path.Combine(directory, "filter.sieve");
        string downloaded = Path.Combine(directory, "downloaded.sieve");
        const string Script = "require [\"fileinto\", \"vacation\"];\nif header :contains \"subject\" \"news\" { fileinto \"News\"; }\nvacation \"Away.\";\n";
        await File.WriteAllTextAsync(local, Script, TestContext.Current.CancellationToken);

        var check = await RunAsync(server, "--checkscript", "--localsieve", local);
        var upload = await RunAsync(server, "--upload", "--localsieve", local, "--remotesieve", "filter");
        var activate = await RunAsync(server, "--activate", "--remotesieve", "filter");
        var list = await RunAsync(server, "--list");
        var download = await RunAsync(server, "--download", "--remotesieve", "filter", "--localsieve", downloaded);
        var deactivate = await RunAsync(server, "--deactivate");
        var delete = await RunAsync(server, "--delete", "--remotesieve", "filter");
        var empty = await RunAsync(server, "--list");

        Assert.True(check.ExitCode == 0, check.Error);
        Assert.True(upload.ExitCode == 0, upload.Error);
        Assert.True(activate.ExitCode == 0, activate.Error);
        Assert.Contains("\"filter\" ACTIVE", list.Output, StringComparison.Ordinal);
        Assert.True(download.ExitCode == 0, download.Error);
        Assert.Equal(Script, await File.ReadAllTextAsync(downloaded, TestContext.Current.CancellationToken));
        Assert.True(deactivate.ExitCode == 0, deactivate.Error);
        Assert.True(delete.ExitCode == 0, delete.Error);
        Assert.DoesNotContain("filter", empty.Output, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Lines(Core.MaillogCategories.ManageSieve), l => l.EndsWith(", TLS", StringComparison.Ordinal) && l.StartsWith("managesieve-login: Login:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScriptWithASyntaxErrorIsRefusedWithItsLineNumber()
    {
        await using ManageSieveTestServer server = await ManageSieveTestServer.StartAsync();
        string local = Path.Combine(server.Root.Root, "bad.sieve");
        await File.WriteAllTextAsync(local, "require \"fileinto\";\nif true {\n  fileinto \"x\"\n}\n", TestContext.Current.CancellationToken);

        var upload = await RunAsync(server, "--upload", "--localsieve", local, "--remotesieve", "bad");
        var list = await RunAsync(server, "--list");

        Assert.NotEqual(0, upload.ExitCode);
        Assert.Contains("line 3", upload.Output + upload.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", list.Output, StringComparison.Ordinal);
    }
}
