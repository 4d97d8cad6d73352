using Mailroom.Sieve.Compilation;
using Mailroom.Sieve.Runtime;
using Mailroom.Sieve.Storage;

namespace Mailroom.Sieve.Delivery;

/// <summary>The world of one delivery as the interpreter sees it: the user's folders, tracking records and scripts.</summary>
internal sealed class DeliveryHost : ISieveHost
{
    private readonly string _user;
    private readonly Func<string, bool>? _folderExists;
    private readonly SieveTrackingStore _tracking;
    private readonly SieveScriptStore _scripts;
    private readonly CompiledScriptCache _cache;
    private readonly string? _globalDirectory;

    public DeliveryHost(string user, string defaultFolder, Func<string, bool>? folderExists, string phase, DateTimeOffset now,
        SieveTrackingStore tracking, SieveScriptStore scripts, CompiledScriptCache cache, string? globalDirectory)
    {
        _user = user;
        DefaultFolder = defaultFolder;
        _folderExists = folderExists;
        Phase = phase;
        Now = now;
        _tracking = tracking;
        _scripts = scripts;
        _cache = cache;
        _globalDirectory = globalDirectory;
    }

    public DateTimeOffset Now { get; }

    public TimeZoneInfo LocalZone => TimeZoneInfo.Local;

    public string Phase { get; }

    public string DefaultFolder { get; }

    public bool FolderExists(string folder) => _folderExists?.Invoke(folder) ?? false;

    public bool IsTracked(string key) => _tracking.IsTracked(_user, key);

    public CompiledScript? LoadInclude(bool global, string name, out string? error)
    {
        error = null;
        string? directory = global ? _globalDirectory : _scripts.ScriptDirectory(_user);
        if (directory is null || !ScriptNames.IsValid(name))
        {
            return null;
        }

        SieveCompilation? compilation = _cache.Get(Path.Combine(directory, name + SieveScriptStore.Extension), name);
        if (compilation is { Success: false })
        {
            error = compilation.Describe();
        }

        return compilation?.Script;
    }
}
