namespace Mailroom.Interop.Tests.Support;

/// <summary>The admin verbs, run as separate <c>mailroom</c> processes on the server's data directory.</summary>
public sealed partial class MailroomServer
{
    public const string Password = "correct horse battery staple";

    /// <summary>
    /// Runs <c>mailroom ARGS --data DIR</c> and returns what it printed, whatever its exit code. Provisioning before the
    /// first start finds no database yet and asks for one with <c>--create</c>, as an admin setting up a new directory would.
    /// </summary>
    public Task<ProcessResult> RunAdminAsync(IEnumerable<string> arguments, string? standardInput = null)
        => RunCliAsync(
            [.. arguments, "--data", DataDirectory, .. File.Exists(Path.Combine(DataDirectory, "mailroom.db")) ? Array.Empty<string>() : ["--create"]],
            standardInput);

    public static Task<ProcessResult> RunCliAsync(IEnumerable<string> arguments, string? standardInput = null)
        => ChildProcess.RunAsync(ChildProcess.DotnetHost, [ProgramPath, .. arguments], standardInput);

    /// <summary>Runs an admin verb that must succeed.</summary>
    public async Task<ProcessResult> AdminAsync(params string[] arguments)
    {
        ProcessResult result = await RunAdminAsync(arguments);
        Assert.True(result.ExitCode == 0, $"mailroom {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    public Task AddDomainAsync(string domain) => AdminAsync("domain", "add", domain);

    public async Task AddUserAsync(string address, string password = Password)
    {
        ProcessResult result = await RunAdminAsync(["user", "add", address, "--password-stdin"], password + "\n");
        Assert.True(result.ExitCode == 0, $"mailroom user add {address} failed: {result}");
    }

    public Task AddAliasAsync(string address, string target) => AdminAsync("alias", "add", address, target);
}
