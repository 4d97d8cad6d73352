using System.Text;

namespace Mailroom.Cli;

/// <summary>Reads a new password without echoing it from the terminal, or one line from standard input with <c>--password-stdin</c>.</summary>
internal static class PasswordReader
{
    public static string? Read(bool fromStdin, TextWriter prompt)
    {
        if (fromStdin)
        {
            string? line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line) ? null : line;
        }

        // Without a terminal there is no one to prompt: reading a pipe unasked would take whatever a script happened to
        // leave on standard input as the password. Scripts say so with the option (as docker login --password-stdin).
        if (Console.IsInputRedirected)
        {
            throw new CliException("no terminal to ask for the password on; give it on standard input with --password-stdin (echo 's3cret' | mailroom user add ADDRESS --password-stdin)");
        }

        string first = ReadHidden("New password: ", prompt);
        string second = ReadHidden("Retype new password: ", prompt);
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw new CliException("the two passwords differ; nothing was changed");
        }

        return first.Length == 0 ? null : first;
    }

    private static string ReadHidden(string text, TextWriter prompt)
    {
        prompt.Write(text);
        prompt.Flush();
        var password = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                prompt.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }
}
