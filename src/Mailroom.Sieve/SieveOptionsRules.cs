using System.Globalization;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve;

/// <summary>
/// The checks of <see cref="SieveOptions"/> that span fields: the vacation periods in order, the spamtest/virustest
/// header expressions valid, their text levels in range, and the site's before/after scripts present and valid (a
/// broken site script is a start-up error, not a silent gap in everybody's filtering).
/// </summary>
public sealed class SieveOptionsRules : IValidateOptions<SieveOptions>
{
    public ValidateOptionsResult Validate(string? name, SieveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.VacationMinPeriod > options.VacationDefaultPeriod || options.VacationDefaultPeriod > options.VacationMaxPeriod)
        {
            failures.Add("Sieve:VacationDefaultPeriod: must lie between Sieve:VacationMinPeriod and Sieve:VacationMaxPeriod");
        }

        if (options.DuplicateDefaultPeriod > options.DuplicateMaxPeriod)
        {
            failures.Add("Sieve:DuplicateDefaultPeriod: must not exceed Sieve:DuplicateMaxPeriod");
        }

        Check("SpamTest", options.SpamTest, 10, failures);
        Check("VirusTest", options.VirusTest, 5, failures);
        var compiler = new Compilation.SieveCompiler(SieveSettings.Extensions(options));
        CheckScripts("Before", options.Before, compiler, failures);
        CheckScripts("After", options.After, compiler, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckScripts(string key, IList<string> locations, Compilation.SieveCompiler compiler, List<string> failures)
    {
        for (int i = 0; i < locations.Count; i++)
        {
            string location = locations[i];
            if (!System.IO.Directory.Exists(location) && !File.Exists(location))
            {
                failures.Add($"Sieve:{key}:{i}: '{location}' does not exist");
                continue;
            }

            List<string> files;
            try
            {
                files = System.IO.Directory.Exists(location)
                    ? [.. System.IO.Directory.EnumerateFiles(location, "*" + Storage.SieveScriptStore.Extension)]
                    : [location];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"Sieve:{key}:{i}: '{location}' cannot be read: {ex.Message}");
                continue;
            }

            foreach (string file in files)
            {
                byte[] script;
                try
                {
                    script = File.ReadAllBytes(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Checked as the service user (serve validates after dropping privileges): delivery reads it as them too.
                    failures.Add($"Sieve:{key}:{i}: {file}: cannot be read: {ex.Message}");
                    continue;
                }

                Compilation.SieveCompilation compilation = compiler.Compile(Path.GetFileName(file), script);
                if (!compilation.Success)
                {
                    failures.Add($"Sieve:{key}:{i}: {file}: {compilation.Errors.First()}");
                }
            }
        }
    }

    private static void Check(string key, ScoreTestOptions test, int maxLevel, List<string> failures)
    {
        if (test.Header is null)
        {
            return;
        }

        if (SieveSettings.ParseHeader(test.Header, out string? error) is null)
        {
            failures.Add($"Sieve:{key}:Header: {error}");
        }

        if (test.Type != Runtime.ScoreStatusType.Text && test.MaxValue <= 0)
        {
            failures.Add($"Sieve:{key}:MaxValue: must be above 0");
        }

        foreach (string level in test.TextValues.Keys)
        {
            if (!int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > maxLevel)
            {
                failures.Add($"Sieve:{key}:TextValues:{level}: levels are 0 to {maxLevel}");
            }
        }
    }
}
