namespace Mailroom.Fuzz;

/// <summary>Runs saved inputs (a crash file, a corpus folder) through a target without libFuzzer.</summary>
internal static class Replay
{
    public static int Files(FuzzTarget target, IEnumerable<string> paths)
    {
        int count = 0;
        foreach (string path in paths.SelectMany(Expand))
        {
            count++;
            try
            {
                FuzzRunner.Execute(target, File.ReadAllBytes(path));
            }
            catch (Exception error)
            {
                Console.Error.WriteLine($"{path}: FAILED");
                Console.Error.WriteLine(error);
                return 1;
            }
        }

        Console.WriteLine($"{target.Name}: {count} inputs ran cleanly");
        return 0;
    }

    private static IEnumerable<string> Expand(string path) =>
        System.IO.Directory.Exists(path)
            ? System.IO.Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [path];
}
