using Mailroom.Smtp.Tests.Support;

namespace Mailroom.Smtp.Tests.Integration;

/// <summary>
/// A full disk is a temporary condition the sender retries: 452 4.3.1 (RFC 3463 X.3.1), at MAIL while the spool is
/// below its free-space floor, and at DATA/BDAT when a write fails with ENOSPC. Other write failures stay 451 4.3.0.
/// </summary>
public sealed class StorageTests
{
    private const string InsufficientStorage = "452 4.3.1 Insufficient system storage";

    [Fact]
    public async Task MailIsRefusedWhileTheSpoolIsBelowItsFreeSpaceFloorAndAcceptedOnceItIsNot()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        await using RawClient client = await ErrorPathTests.Greeted(server);
        server.Submitter.HasRoom = false;
        Assert.Equal(InsufficientStorage, await client.CommandAsync("MAIL FROM:<a@remote.example> SIZE=5000"));
        Assert.Equal("503 5.5.1 Error: need MAIL command", await client.CommandAsync("RCPT TO:<samt@example.org>"));

        server.Submitter.HasRoom = true;
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal([5000L, 0L], server.Submitter.RoomRequests.ToArray());
    }

    [Fact]
    public async Task AFullDiskAtCommitIs452AndTheMessageIsNotKept()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Submitter.FailCommit = true;
        server.Submitter.DiskFull = true;
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        await client.CommandAsync("DATA");
        Assert.Equal(InsufficientStorage, await client.RawAsync("Subject: x\r\n\r\nb\r\n.\r\n"));
        Assert.True(Assert.Single(server.Submitter.Submissions).Disposed);
        Assert.Empty(server.Submitter.Committed);
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task AFullDiskWhenTheSpoolFileIsCreatedIs452AtDataAndAtBdat()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Submitter.FailBegin = true;
        server.Submitter.DiskFull = true;
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        Assert.Equal(InsufficientStorage, await client.CommandAsync("DATA"));

        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("RSET"));
        Assert.Equal("250 2.1.0 Ok", await client.CommandAsync("MAIL FROM:<a@remote.example>"));
        Assert.Equal("250 2.1.5 Ok", await client.CommandAsync("RCPT TO:<samt@example.org>"));
        Assert.Equal(InsufficientStorage, await client.RawAsync("BDAT 12 LAST\r\nSubject: b\r\n"));
        Assert.Equal("250 2.0.0 Ok", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task AWriteFailureThatIsNotAFullDiskStays451()
    {
        await using SmtpTestServer server = await SmtpTestServer.StartAsync();
        server.Submitter.FailCommit = true;
        await using RawClient client = await ErrorPathTests.InTransaction(server);
        await client.CommandAsync("DATA");
        Assert.Equal("451 4.3.0 Error: queue file write error", await client.RawAsync("Subject: x\r\n\r\nb\r\n.\r\n"));
    }
}
