using System.Text;
using Mailroom.Sieve.Storage;
using Mailroom.Sieve.Tests.Support;

namespace Mailroom.Sieve.Tests.Storage;

/// <summary>The per-user script store: Pigeonhole's layout, atomic changes, quotas on both sides.</summary>
public sealed class ScriptStoreTests
{
    private const string User = "samt@example.org";
    private static readonly byte[] Script = Encoding.UTF8.GetBytes("keep;\n");

    [Fact]
    public void ActiveScriptIsTheDovecotSymlinkBesideTheMaildir()
    {
        using var root = new TemporaryMailRoot();
        Assert.Equal(ScriptChange.Ok, root.Scripts.Write(User, "main", Script));

        Assert.Equal(ScriptChange.Ok, root.Scripts.Activate(User, "main"));

        string maildir = root.Maildirs.GetMaildirPath(User);
        Assert.Equal(Path.Combine("sieve", "main.sieve"), new FileInfo(Path.Combine(maildir, ".dovecot.sieve")).LinkTarget);
        Assert.Equal(Path.Combine(maildir, "sieve", "main.sieve"), root.Scripts.ActivePath(User));
        Assert.Equal([new ScriptEntry("main", Script.Length, true)], root.Scripts.List(User));
    }

    [Fact]
    public void ScriptFilesArePrivate()
    {
        using var root = new TemporaryMailRoot();
        root.Scripts.Write(User, "main", Script);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(root.Scripts.ScriptDirectory(User), "main.sieve")));
        }
    }

    [Fact]
    public void ActiveScriptCannotBeDeletedButCanBeRenamedAndStaysActive()
    {
        using var root = new TemporaryMailRoot();
        root.Scripts.Write(User, "main", Script);
        root.Scripts.Activate(User, "main");

        Assert.Equal(ScriptChange.Active, root.Scripts.Delete(User, "main"));
        Assert.Equal(ScriptChange.Ok, root.Scripts.Rename(User, "main", "renamed"));
        Assert.Equal("renamed", root.Scripts.ActiveName(User));
        Assert.Equal(ScriptChange.Ok, root.Scripts.Activate(User, ""));
        Assert.Null(root.Scripts.ActivePath(User));
        Assert.Equal(ScriptChange.Ok, root.Scripts.Delete(User, "renamed"));
        Assert.Empty(root.Scripts.List(User));
    }

    [Fact]
    public void RenameOntoAnExistingScriptAndChangesToMissingScriptsAreRefused()
    {
        using var root = new TemporaryMailRoot();
        root.Scripts.Write(User, "a", Script);
        root.Scripts.Write(User, "b", Script);

        Assert.Equal(ScriptChange.AlreadyExists, root.Scripts.Rename(User, "a", "b"));
        Assert.Equal(ScriptChange.NotFound, root.Scripts.Rename(User, "c", "d"));
        Assert.Equal(ScriptChange.NotFound, root.Scripts.Activate(User, "c"));
        Assert.Equal(ScriptChange.NotFound, root.Scripts.Delete(User, "c"));
        Assert.Null(root.Scripts.Read(User, "c"));
    }

    [Fact]
    public void ScriptCountIsLimitedButReplacingAScriptIsNot()
    {
        using var root = new TemporaryMailRoot(new SieveOptions { MaxScripts = 2 });
        Assert.Equal(ScriptChange.Ok, root.Scripts.Write(User, "a", Script));
        Assert.Equal(ScriptChange.Ok, root.Scripts.Write(User, "b", Script));

        Assert.Equal(ScriptChange.TooManyScripts, root.Scripts.Write(User, "c", Script));
        Assert.Equal(ScriptChange.Ok, root.Scripts.Write(User, "b", Encoding.UTF8.GetBytes("discard;\n")));
    }

    [Fact]
    public void ScriptSizeIsLimitedOnBothSides()
    {
        using var root = new TemporaryMailRoot(new SieveOptions { MaxScriptSize = 1024 });

        Assert.Equal(ScriptChange.Ok, root.Scripts.CheckSpace(User, "a", 1024));
        Assert.Equal(ScriptChange.TooLarge, root.Scripts.CheckSpace(User, "a", 1025));
        Assert.Equal(ScriptChange.TooLarge, root.Scripts.Write(User, "a", new byte[1025]));
    }

    [Fact]
    public void StorageQuotaCountsEveryScriptButTheOneReplaced()
    {
        using var root = new TemporaryMailRoot(new SieveOptions { MaxStorage = 2048 });
        root.Scripts.Write(User, "a", new byte[1024]);

        Assert.Equal(ScriptChange.Ok, root.Scripts.CheckSpace(User, "b", 1024));
        Assert.Equal(ScriptChange.OverQuota, root.Scripts.CheckSpace(User, "b", 1025));
        Assert.Equal(ScriptChange.Ok, root.Scripts.CheckSpace(User, "a", 2048));
    }

    [Fact]
    public void HandWrittenDovecotSieveFileIsTheActiveScriptUntilOneIsActivated()
    {
        using var root = new TemporaryMailRoot();
        string maildir = root.Maildirs.GetMaildirPath(User);
        System.IO.Directory.CreateDirectory(maildir);
        File.WriteAllText(Path.Combine(maildir, ".dovecot.sieve"), "discard;\n");

        Assert.Equal(Path.Combine(maildir, ".dovecot.sieve"), root.Scripts.ActivePath(User));
        root.Scripts.Write(User, "main", Script);
        root.Scripts.Activate(User, "main");

        Assert.Equal("main", root.Scripts.ActiveName(User));
        Assert.Contains(root.Scripts.List(User), s => s.Name == "dovecot.orig");
    }
}
