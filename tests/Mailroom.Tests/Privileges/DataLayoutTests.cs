using Mailroom.Hosting.Privileges;

namespace Mailroom.Tests.Privileges;

public sealed class DataLayoutTests
{
    [Fact]
    public void DirectoriesInsideTheDataDirectoryAreCoveredByIt()
    {
        var layout = new DataLayout("/srv/data", "/srv/data/mail", ["/srv/data", "/srv/data/mail", "/srv/data/queue", "/srv/data/tls"], ["/srv/data/mailroom.db"]);

        Assert.Equal(["/srv/data"], layout.Roots());
        Assert.Empty(layout.LooseFiles());
    }

    [Fact]
    public void DirectoriesAndFilesElsewhereAreTheirOwnRootsOrLooseFiles()
    {
        var layout = new DataLayout("/srv/data", "/var/vmail", ["/srv/data", "/var/vmail", "/var/spool/mailroom", "/srv/data/tls"], ["/srv/data/mailroom.db", "/var/log/mailroom.log"]);

        Assert.Equal(["/srv/data", "/var/spool/mailroom", "/var/vmail"], layout.Roots().Order(StringComparer.Ordinal));
        Assert.Equal(["/var/log/mailroom.log"], layout.LooseFiles());
    }

    [Fact]
    public void ASiblingWithACommonPrefixIsNotInside()
    {
        var layout = new DataLayout("/srv/data", "/srv/data-mail", ["/srv/data", "/srv/data-mail"], ["/srv/data-log/maillog"]);

        Assert.Equal(2, layout.Roots().Count);
        Assert.Equal(["/srv/data-log/maillog"], layout.LooseFiles());
    }

    [Fact]
    public void ASqliteDatabaseComesWithItsJournalFiles()
        => Assert.Equal(["/d/x.db", "/d/x.db-wal", "/d/x.db-shm", "/d/x.db-journal"], DataLayout.WithSqliteCompanions("/d/x.db"));
}
