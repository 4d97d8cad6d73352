using System.Globalization;

namespace Mailroom.Toolkit.Mail;

/// <summary>
/// The mail(1)-style reader over one Maildir. Deletions and seen marks are held until <c>q</c>, which applies
/// them; <c>x</c> (or <c>exit</c>) leaves the mailbox as it was, as in mail(1).
/// </summary>
internal sealed class MailReader
{
    private readonly MaildirMailbox _mailbox;
    private readonly TextWriter _output;
    private readonly HashSet<int> _deleted = [];
    private readonly HashSet<int> _read = [];
    private int _current;
    private bool _shown;

    public MailReader(MaildirMailbox mailbox, TextWriter output)
    {
        _mailbox = mailbox;
        _output = output;
        int firstNew = mailbox.Messages.ToList().FindIndex(m => m.IsNew);
        _current = firstNew >= 0 ? firstNew + 1 : Math.Min(1, mailbox.Messages.Count);
    }

    private IReadOnlyList<MaildirMessage> Messages => _mailbox.Messages;

    public void PrintSummary()
    {
        int count = Messages.Count;
        int fresh = Messages.Count(m => m.IsNew);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\"{_mailbox.Path}\": {count} message{(count == 1 ? string.Empty : "s")} {fresh} new"));
    }

    public void PrintHeaders()
    {
        for (int i = 1; i <= Messages.Count; i++)
        {
            if (!_deleted.Contains(i))
            {
                _output.WriteLine(HeaderLine(i));
            }
        }
    }

    private string HeaderLine(int number)
    {
        MaildirMessage m = Messages[number - 1];
        char status = _read.Contains(number) ? ' ' : m.IsNew ? 'N' : ' ';
        string date = m.Date?.ToString("ddd MMM dd HH:mm", CultureInfo.InvariantCulture) ?? string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{(number == _current ? '>' : ' ')}{status} {number,3} {Clip(m.From, 20),-20} {date,-16} {m.Lines,4}/{m.Size,-6} {Clip(m.Subject, 40)}");
    }

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..width];

    /// <summary>Prints message <paramref name="number"/> and records it as read; false when there is no such message.</summary>
    public bool Print(int number)
    {
        if (number < 1 || number > Messages.Count || _deleted.Contains(number))
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{number}: Invalid message number"));
            return false;
        }

        _current = number;
        _shown = true;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Message {number}:"));
        _output.Write(File.ReadAllText(Messages[number - 1].Path).ReplaceLineEndings(Environment.NewLine));
        _output.WriteLine();
        _read.Add(number);
        return true;
    }

    /// <summary>Runs the <c>&amp; </c> prompt until q, x or end of input (which counts as q).</summary>
    public void Run(TextReader input)
    {
        PrintSummary();
        PrintHeaders();
        while (true)
        {
            _output.Write("& ");
            string? line = input.ReadLine();
            if (line is null)
            {
                _output.WriteLine();
                Quit();
                return;
            }

            string[] words = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string verb = words.Length == 0 ? string.Empty : words[0];
            string? argument = words.Length > 1 ? words[1] : null;
            switch (verb)
            {
                case "q" or "quit":
                    Quit();
                    return;
                case "x" or "exit":
                    return;
                case "" or "n" or "next" or "+":
                    // As in mail(1), the first "next" shows the current message (the first new one) itself.
                    if (_shown)
                    {
                        Move(+1);
                    }
                    else
                    {
                        Print(_current);
                    }

                    break;
                case "-":
                    Move(-1);
                    break;
                case "p" or "print" or "t" or "type" or "more":
                    WithNumber(argument, n => Print(n));
                    break;
                case "d" or "delete":
                    WithNumber(argument, Delete);
                    break;
                case "u" or "undelete":
                    WithNumber(argument, n => _deleted.Remove(n));
                    break;
                case "h" or "headers":
                    PrintHeaders();
                    break;
                case "?" or "help":
                    PrintHelp();
                    break;
                default:
                    if (int.TryParse(verb, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && argument is null)
                    {
                        Print(number);
                    }
                    else
                    {
                        _output.WriteLine($"Unknown command: \"{verb}\"");
                    }

                    break;
            }
        }
    }

    private void WithNumber(string? argument, Action<int> action)
    {
        if (argument is null)
        {
            action(_current);
        }
        else if (int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            action(number);
        }
        else
        {
            _output.WriteLine($"{argument}: Invalid message number");
        }
    }

    private void Move(int step)
    {
        int next = _current + step;
        while (next >= 1 && next <= Messages.Count && _deleted.Contains(next))
        {
            next += step;
        }

        if (next < 1 || next > Messages.Count)
        {
            _output.WriteLine(step > 0 ? "At EOF" : "No previous message");
            return;
        }

        Print(next);
    }

    private void Delete(int number)
    {
        if (number < 1 || number > Messages.Count)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{number}: Invalid message number"));
            return;
        }

        _deleted.Add(number);
    }

    /// <summary>Applies the session: deleted files are removed, read ones are marked seen.</summary>
    private void Quit()
    {
        foreach (int number in _deleted)
        {
            File.Delete(Messages[number - 1].Path);
        }

        foreach (int number in _read.Except(_deleted))
        {
            MaildirMailbox.MarkSeen(Messages[number - 1].Path);
        }

        int kept = Messages.Count - _deleted.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Held {kept} message{(kept == 1 ? string.Empty : "s")} in {_mailbox.Path}"));
    }

    private void PrintHelp() => _output.WriteLine("""
        p [N], more [N], N   print message N (default: current)
        n, +, <Enter>        print the next message
        -                    print the previous message
        d [N]                delete message N (applied at q)
        u [N]                undelete message N
        h                    list headers
        q                    quit, applying deletions and read marks
        x                    exit, leaving the mailbox unchanged
        ?                    this help
        """);
}
