namespace Mailroom.Queue.Tests;

/// <summary>The free-space floor (Postfix's queue_minfree), on both sides, against this machine's temp file system.</summary>
public sealed class QueueSpaceTests : IDisposable
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("mailroom-space-");

    public void Dispose() => _directory.Delete(recursive: true);

    private long Free => new DriveInfo(_directory.FullName).AvailableFreeSpace;

    [Fact]
    public void WithoutAFloorAnUndeclaredSizeAlwaysFits()
        => Assert.True(new QueueSpace(_directory.FullName, 0).HasRoomFor(0));

    [Fact]
    public void AFloorAboveTheFreeSpaceRefusesEvenAnUndeclaredSize()
    {
        Assert.False(new QueueSpace(_directory.FullName, long.MaxValue).HasRoomFor(0));
        Assert.True(new QueueSpace(_directory.FullName, Free / 4).HasRoomFor(0));
    }

    [Fact]
    public void ADeclaredSizeOfHalfTheFreeSpaceOrMoreIsRefused()
    {
        var space = new QueueSpace(_directory.FullName, 0);
        Assert.True(space.HasRoomFor(1024));
        Assert.False(space.HasRoomFor(Free));
    }

    [Fact]
    public void ADeclaredSizeThatWouldTakeTheDiskBelowTheFloorIsRefused()
    {
        // Below half the free space, so only the floor can refuse it: a third of it would leave two thirds, under 3/4.
        long free = Free;
        var space = new QueueSpace(_directory.FullName, free / 4 * 3);
        Assert.True(space.HasRoomFor(1024));
        Assert.False(space.HasRoomFor(free / 3));
    }

    [Fact]
    public void ASpoolWhoseSpaceCannotBeToldIsNotRefused()
        => Assert.True(new QueueSpace(Path.Combine(_directory.FullName, "missing", "queue"), long.MaxValue).HasRoomFor(0));
}
