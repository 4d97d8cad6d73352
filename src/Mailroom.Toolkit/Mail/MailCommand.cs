using System.CommandLine;

namespace Mailroom.Toolkit.Mail;

/// <summary>Builds <c>mailroom mail</c>.</summary>
internal static class MailCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user", "-u") { Description = "Mailbox to read, as user@domain.", Required = true };
        var print = new Option<int?>("--print", "-p") { Description = "Print message N and exit (marks it seen)." };
        var headersOnly = new Option<bool>("--headers", "-H") { Description = "Print the header list and exit." };
        var data = new Option<string>("--data") { Description = "Data directory holding mail/<domain>/<user>.", DefaultValueFactory = _ => "./data" };
        var command = new Command("mail", "Read a local mailbox like mail(1): a header list, then an '& ' prompt (? for help).");
        command.Options.Add(user);
        command.Options.Add(print);
        command.Options.Add(headersOnly);
        command.Options.Add(data);
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            MaildirMailbox mailbox;
            try
            {
                mailbox = MaildirMailbox.Load(MaildirMailbox.Locate(parse.GetValue(data)!, parse.GetValue(user)!));
            }
            catch (Exception ex) when (ex is ArgumentException or DirectoryNotFoundException)
            {
                parse.InvocationConfiguration.Error.WriteLine(ex.Message);
                return 1;
            }

            var reader = new MailReader(mailbox, output);
            if (parse.GetValue(print) is { } number)
            {
                if (!reader.Print(number))
                {
                    return 1;
                }

                MaildirMailbox.MarkSeen(mailbox.Messages[number - 1].Path);
                return 0;
            }

            if (parse.GetValue(headersOnly))
            {
                reader.PrintSummary();
                reader.PrintHeaders();
                return 0;
            }

            if (mailbox.Messages.Count == 0)
            {
                output.WriteLine($"No mail for {parse.GetValue(user)}");
                return 0;
            }

            reader.Run(Console.In);
            return 0;
        });
        return command;
    }
}
