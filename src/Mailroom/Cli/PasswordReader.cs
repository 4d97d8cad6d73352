using System.Text;

namespace Mailroom.Cli;

/// <summary>Reads a new password without echoing it, or one line from standard input for scripts.</summary>
internal static class PasswordReader
{
    public static string? Read(bool fromStdin, TextWriter prompt)
    {
        if (fromStdin || Console.IsInputRedirected)
        {
            string? line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line) ? null : line;
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
