using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Differential;

/// <summary>
/// Pigeonhole's <c>sieve-test</c> (Debian's dovecot-sieve): runs a script on a message without delivering and prints the
/// actions. A private Dovecot configuration names a home with the corpus's personal and global scripts, a Maildir with
/// the corpus's folders, the plus delimiter and the spamtest/virustest settings the interpreter under test gets too.
/// </summary>
internal sealed partial class PigeonholeSieveTest : IDisposable
{
    private readonly string _root;
    private readonly string _config;
    private readonly string _tool;
    private int _next;

    private PigeonholeSieveTest(string tool, string root, string config)
    {
        _tool = tool;
        _root = root;
        _config = config;
    }

    /// <summary>Sets up the private configuration; skips (or fails under CI) when sieve-test is not installed.</summary>
    public static PigeonholeSieveTest Create(string corpus, IEnumerable<string> folders)
    {
        string tool = ExternalTool.Require("sieve-test", "dovecot-sieve");
        string root = System.IO.Directory.CreateTempSubdirectory("mailroom-sievetest-").FullName;
        string home = Path.Combine(root, "home");
        System.IO.Directory.CreateDirectory(Path.Combine(home, "Maildir", "cur"));
        System.IO.Directory.CreateDirectory(Path.Combine(home, "Maildir", "new"));
        System.IO.Directory.CreateDirectory(Path.Combine(home, "Maildir", "tmp"));
        foreach (string folder in folders)
        {
            foreach (string sub in (string[])["cur", "new", "tmp"])
            {
                System.IO.Directory.CreateDirectory(Path.Combine(home, "Maildir", "." + folder.Replace('/', '.'), sub));
            }
        }

        CopyScripts(Path.Combine(corpus, "personal"), Path.Combine(home, "sieve"));
        CopyScripts(Path.Combine(corpus, "global"), Path.Combine(root, "global"));
        System.IO.Directory.CreateDirectory(Path.Combine(root, "scripts"));

        // As root, Dovecot must drop to an unprivileged user; nobody then needs to read and write everything here.
        bool root0 = Environment.UserName == "root";
        var config = new StringBuilder();
        if (root0)
        {
            config.AppendLine("mail_uid = nobody").AppendLine("mail_gid = nogroup").AppendLine("first_valid_uid = 0").AppendLine("first_valid_gid = 0");
        }

        config.AppendLine(CultureInfo.InvariantCulture, $"mail_home = {home}")
            .AppendLine(CultureInfo.InvariantCulture, $"mail_location = maildir:{home}/Maildir")
            .AppendLine("recipient_delimiter = +")
            .AppendLine("plugin {")
            .AppendLine(CultureInfo.InvariantCulture, $"  sieve = file:{home}/sieve")
            .AppendLine(CultureInfo.InvariantCulture, $"  sieve_global = {root}/global")
            .AppendLine("  sieve_extensions = +vacation-seconds +spamtest +spamtestplus +virustest")
            .AppendLine("  sieve_spamtest_status_type = score")
            .AppendLine("  sieve_spamtest_status_header = X-Spam-Score")
            .AppendLine("  sieve_spamtest_max_value = 10")
            .AppendLine("  sieve_virustest_status_type = text")
            .AppendLine("  sieve_virustest_status_header = X-Virus-Scan: Found to be (.+)\\.")
            .AppendLine("  sieve_virustest_text_value1 = clean")
            .AppendLine("  sieve_virustest_text_value5 = infected")
            .AppendLine("}");
        string configPath = Path.Combine(root, "dovecot.conf");
        File.WriteAllText(configPath, config.ToString());
        if (root0 && !OperatingSystem.IsWindows())
        {
            foreach (string path in System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
            {
                File.SetUnixFileMode(path, System.IO.Directory.Exists(path)
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            }
        }

        return new PigeonholeSieveTest(tool, root, configPath);
    }

    /// <summary>Runs <paramref name="script"/> on <paramref name="message"/> and returns the outcome in <see cref="Outcome"/>'s form.</summary>
    public async Task<string> RunAsync(string script, string message, string sender, string recipient)
    {
        (string output, string error) = await RunRawAsync(script, message, sender, recipient, execute: false);
        return Parse(output, error);
    }

    /// <summary>
    /// Runs with <c>-e</c>, which carries the actions out (into the test mailbox, messages only printed): what the
    /// vacation action decided is in the log lines ("sent vacation response", "discarding vacation response ...").
    /// </summary>
    public async Task<string> RunExecutedAsync(string script, string message, string sender, string recipient)
    {
        (string output, string error) = await RunRawAsync(script, message, sender, recipient, execute: true);
        return output + "\n" + error;
    }

    private async Task<(string Output, string Error)> RunRawAsync(string script, string message, string sender, string recipient, bool execute)
    {
        int n = Interlocked.Increment(ref _next);
        string dir = Path.Combine(_root, "scripts", n.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(dir);
        string scriptPath = Path.Combine(dir, "script.sieve");
        string messagePath = Path.Combine(dir, "message.eml");
        File.WriteAllText(scriptPath, script);
        File.WriteAllText(messagePath, message);
        if (Environment.UserName == "root" && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        }

        (int _, string output, string error) = await ExternalTool.RunAsync(
            _tool,
            [.. execute ? (string[])["-e"] : [], "-c", _config, "-f", sender, "-r", recipient, "-a", recipient, scriptPath, messagePath],
            environment: new Dictionary<string, string> { ["TZ"] = "UTC", ["HOME"] = Path.Combine(_root, "home") });
        return (output, error);
    }

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);

    /// <summary>Reduces sieve-test's report ("Performed actions:", "Implicit keep:", errors) to the normalised outcome.</summary>
    internal static string Parse(string output, string error)
    {
        string all = output + "\n" + error;
        if (all.Contains("failed to compile sieve script", StringComparison.Ordinal))
        {
            Match line = CompileError().Match(all);
            return "compile error at line " + (line.Success ? line.Groups[1].Value : "?");
        }

        if (all.Contains("final result: failed", StringComparison.Ordinal))
        {
            return "failed";
        }

        var lines = new List<string>();
        var tracks = new List<string>();
        string[] text = output.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        string section = "";
        string? pending = null;
        var pendingFlags = new List<string>();
        bool create = false;
        bool copy = false;
        long seconds = 0;
        string? subject = null;
        string? from = null;
        bool inMessage = false;

        void Flush()
        {
            if (pending is null)
            {
                return;
            }

            string prefix = section == "implicit" ? "implicit " : "";
            if (pending.StartsWith("store ", StringComparison.Ordinal))
            {
                lines.Add(prefix + Outcome.Store(pending["store ".Length..], pendingFlags, create, copy));
            }
            else if (pending.StartsWith("redirect ", StringComparison.Ordinal))
            {
                lines.Add(prefix + pending + (copy ? " copy" : ""));
            }
            else if (pending == "vacation")
            {
                lines.Add(prefix + Outcome.Vacation(seconds, subject, from));
            }
            else
            {
                lines.Add(prefix + pending);
            }

            pending = null;
            pendingFlags.Clear();
            create = copy = false;
            seconds = 0;
            subject = from = null;
        }

        foreach (string raw in text)
        {
            if (inMessage)
            {
                inMessage = raw != "END MESSAGE";
                continue;
            }

            string line = raw.Trim();
            if (line == "Performed actions:")
            {
                section = "performed";
                continue;
            }

            if (line == "Implicit keep:")
            {
                Flush();
                lines.AddRange(tracks);
                section = "implicit";
                continue;
            }

            if (line == "START MESSAGE")
            {
                inMessage = true;
                continue;
            }

            if (section.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("* ", StringComparison.Ordinal))
            {
                Flush();
                string item = line[2..];
                if (item.StartsWith("track ", StringComparison.Ordinal) && item.Contains("duplicate", StringComparison.Ordinal))
                {
                    tracks.Add("track duplicate");
                    continue;
                }

                pending = item.StartsWith("store message in folder: ", StringComparison.Ordinal) ? "store " + item["store message in folder: ".Length..]
                    : item.StartsWith("redirect message to: ", StringComparison.Ordinal) ? "redirect " + item["redirect message to: ".Length..].Trim('<', '>')
                    : item.StartsWith("reject message with reason: ", StringComparison.Ordinal) ? "reject " + item["reject message with reason: ".Length..]
                    : item.StartsWith("send vacation message", StringComparison.Ordinal) ? "vacation"
                    : item;
            }
            else if (line.StartsWith("+ add IMAP flags: ", StringComparison.Ordinal))
            {
                pendingFlags.AddRange(line["+ add IMAP flags: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (line.StartsWith("+ create mailbox", StringComparison.Ordinal))
            {
                create = true;
            }
            else if (line.StartsWith("+ preserve implicit keep", StringComparison.Ordinal))
            {
                copy = true;
            }
            else if (line.StartsWith("=> seconds : ", StringComparison.Ordinal))
            {
                seconds = long.Parse(line["=> seconds : ".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("=> subject : ", StringComparison.Ordinal))
            {
                subject = line["=> subject : ".Length..];
            }
            else if (line.StartsWith("=> from    : ", StringComparison.Ordinal))
            {
                from = line["=> from    : ".Length..];
            }
            else if (line == "(none)" && section == "implicit")
            {
                lines.Add("implicit none");
            }
        }

        Flush();
        return string.Join('\n', lines);
    }

    private static void CopyScripts(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        if (!System.IO.Directory.Exists(from))
        {
            return;
        }

        foreach (string file in System.IO.Directory.EnumerateFiles(from, "*.sieve"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex(@"line (\d+): error")]
    private static partial Regex CompileError();
}
