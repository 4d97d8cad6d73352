using System.Collections.Concurrent;
using Mailroom.Sieve.Compilation;

namespace Mailroom.Sieve.Storage;

/// <summary>
/// Compiled scripts by file, reused while the file's size and modification time stay the same (Pigeonhole keeps a
/// compiled <c>.svbin</c> beside each script for the same reason). Bounded: past <see cref="Capacity"/> entries it
/// starts over.
/// </summary>
public sealed class CompiledScriptCache
{
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, (DateTime Modified, long Size, SieveCompilation Compilation)> _entries = new(StringComparer.Ordinal);
    private readonly SieveCompiler _compiler;

    public CompiledScriptCache(SieveCompiler compiler)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        _compiler = compiler;
    }

    /// <summary>The compilation of the script at <paramref name="path"/>; null when the file does not exist.</summary>
    public SieveCompilation? Get(string path, string name)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return null;
        }

        if (_entries.TryGetValue(path, out var entry) && entry.Modified == info.LastWriteTimeUtc && entry.Size == info.Length)
        {
            return entry.Compilation;
        }

        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        SieveCompilation compilation = _compiler.Compile(name, content);
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[path] = (info.LastWriteTimeUtc, info.Length, compilation);
        return compilation;
    }
}
