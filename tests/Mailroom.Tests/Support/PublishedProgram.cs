namespace Mailroom.Tests.Support;

/// <summary>
/// The single-file <c>mailroom</c> that <c>dotnet publish src/Mailroom</c> gives, which admins install: <c>.ci/run</c>
/// publishes it before the tests and names it in <c>MAILROOM_PUBLISHED_PROGRAM</c>. Outside CI, without the variable,
/// the tests that need it skip, naming the command that makes it (publishing takes minutes, too long for a fixture).
/// </summary>
internal static class PublishedProgram
{
    public const string EnvironmentVariable = "MAILROOM_PUBLISHED_PROGRAM";

    /// <summary>The published program's full path; ends the test when there is none.</summary>
    public static string Require()
    {
        string? path = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(path))
        {
            Requirement.Missing(
                $"needs the published single-file mailroom: `dotnet publish src/Mailroom -c Release -o DIR`, then {EnvironmentVariable}=DIR/mailroom (.ci/run sets it)");
        }
        else if (!File.Exists(path))
        {
            Requirement.Missing($"{EnvironmentVariable}={path}: no such file");
        }

        return path!;
    }
}
