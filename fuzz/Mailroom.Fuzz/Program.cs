using System.Globalization;
using Mailroom.Fuzz;

// Mailroom.Fuzz --list                 every target: name, libFuzzer -max_len, dictionary, description (for run.sh)
// Mailroom.Fuzz TARGET                 under fuzz/bridge/dotnet-bridge (libFuzzer): the fuzzing loop
// Mailroom.Fuzz TARGET PATH...         replays files, or every file in a directory; exit code 1 on the first failure
ScratchCoverage.Install();
if (args.Length == 1 && args[0] == "--list")
{
    foreach (string name in FuzzTargets.Names)
    {
        using FuzzTarget listed = FuzzTargets.Create(name);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{listed.Name}\t{listed.MaxLength}\t{listed.Dictionary ?? "-"}\t{listed.Description}"));
    }

    return 0;
}

if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine("usage: Mailroom.Fuzz --list | TARGET [PATH...]");
    Console.Error.WriteLine("targets: " + string.Join(' ', FuzzTargets.Names));
    return 2;
}

if (args.Length == 1)
{
    if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is null)
    {
        Console.Error.WriteLine("Run under fuzz/run.sh (libFuzzer), or name the input files to replay.");
        return 2;
    }

    // Built and warmed before the loop starts, so a target's one-time cost (a server, a mail store, compiling its
    // code paths) is not charged to the first input's timeout.
    using FuzzTarget fuzzed = FuzzTargets.Create(args[0]);
    fuzzed.Warm();
    SharpFuzz.Fuzzer.LibFuzzer.Run(input => FuzzRunner.Execute(fuzzed, input));
    return 0;
}

using FuzzTarget target = FuzzTargets.Create(args[0]);
return Replay.Files(target, args.Skip(1));
