using Mailroom.Sieve.Storage;
using Mailroom.Store;
using Mailroom.Store.Maildir;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Sieve.Tests.Support;

/// <summary>A mail root in a temporary directory with the Sieve stores over it.</summary>
internal sealed class TemporaryMailRoot : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-sieve-");

    public TemporaryMailRoot(SieveOptions? options = null, TimeProvider? time = null)
    {
        Options = options ?? new SieveOptions();
        Time = time ?? TimeProvider.System;
        Maildirs = new MaildirStore(Microsoft.Extensions.Options.Options.Create(new StoreOptions { MailRoot = Path.Combine(_root.FullName, "mail") }), Time, NullLogger<MaildirStore>.Instance);
        Scripts = new SieveScriptStore(Maildirs, Microsoft.Extensions.Options.Options.Create(Options));
        Tracking = new SieveTrackingStore(Maildirs, Time);
    }

    public string Root => _root.FullName;

    public SieveOptions Options { get; }

    public TimeProvider Time { get; }

    public MaildirStore Maildirs { get; }

    public SieveScriptStore Scripts { get; }

    public SieveTrackingStore Tracking { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
    }
}
