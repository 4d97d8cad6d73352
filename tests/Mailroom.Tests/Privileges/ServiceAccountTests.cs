using Mailroom.Hosting.Privileges;

namespace Mailroom.Tests.Privileges;

public sealed class ServiceAccountTests
{
    private static readonly ServiceAccount Mailroom = new("mailroom", 995, 995, "/var/lib/mailroom", [995, 110]);

    [Theory]
    [InlineData(995u, 0u, 0x41C0, true)]  // its own 0700 directory
    [InlineData(995u, 0u, 0x4180, false)] // its own, without x for the owner
    [InlineData(0u, 110u, 0x41C8, true)]  // root's, group x for a group it is in
    [InlineData(0u, 0u, 0x41C8, false)]   // root's, group x for a group it is not in
    [InlineData(0u, 0u, 0x41C1, true)]    // others may pass
    [InlineData(0u, 0u, 0x41C0, false)]   // /root: 0700
    [InlineData(0u, 110u, 0x41C1, false)] // in the group, which may not pass, though others may: the group bits decide
    public void SearchFollowsTheOwnerThenGroupThenOtherBits(uint owner, uint group, int mode, bool expected)
        => Assert.Equal(expected, Mailroom.CanSearch(new FileOwnership(owner, group, mode)));

    [Theory]
    [InlineData(995u, 995u, 0x8180, true)]  // its own 0600 file
    [InlineData(995u, 995u, 0x8080, false)] // its own, write-only
    [InlineData(0u, 0u, 0x81A4, true)]      // root's 0644
    [InlineData(0u, 0u, 0x8180, false)]     // root's 0600
    [InlineData(0u, 110u, 0x81A0, true)]    // root's 0640, group it is in
    public void ReadFollowsTheOwnerThenGroupThenOtherBits(uint owner, uint group, int mode, bool expected)
        => Assert.Equal(expected, Mailroom.CanRead(new FileOwnership(owner, group, mode)));

    [Fact]
    public void RootPassesEverywhere()
        => Assert.True(new ServiceAccount("root", 0, 0, "/root", [0]).CanSearch(new FileOwnership(1000, 1000, 0x4000)));

    [Fact]
    public void RootIsFoundInTheUserDatabaseWithItsGroups()
    {
        ServiceAccount root = Assert.IsType<ServiceAccount>(ServiceAccount.Find("root"));
        Assert.Equal(0u, root.Uid);
        Assert.Contains(0u, root.Groups);
        Assert.Equal("root", Assert.IsType<ServiceAccount>(ServiceAccount.Find(0u)).Name);
    }

    [Fact]
    public void AMissingUserIsNull() => Assert.Null(ServiceAccount.Find("no-such-user-" + Guid.NewGuid().ToString("N")[..8]));
}
