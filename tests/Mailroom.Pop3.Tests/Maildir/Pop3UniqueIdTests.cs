using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Tests.Maildir;

public sealed class Pop3UniqueIdTests
{
    [Fact]
    public void UniqueIdIsTheBaseNameWhenRfc1939AllowsIt()
    {
        const string name = "1700000000.M12P34Q5.mail,S=120,W=124";
        Assert.Equal(name, Pop3UniqueId.Of(name));
    }

    [Theory]
    [InlineData("1700000000.M12P34Q5.a-very-long-host-name-that-goes-on.example.org,S=1234567,W=1234999")]
    [InlineData("1700000000.M12P34Q5.host with space,S=1")]
    [InlineData("1700000000.M12P34Q5.hôst,S=1")]
    public void UniqueIdIsAStableHashWhenTheNameIsTooLongOrHasForbiddenCharacters(string name)
    {
        string uid = Pop3UniqueId.Of(name);
        Assert.Equal(uid, Pop3UniqueId.Of(name));
        Assert.InRange(uid.Length, 1, 70);
        Assert.All(uid, c => Assert.InRange(c, '!', '~'));
        Assert.NotEqual(uid, Pop3UniqueId.Of(name + "x"));
    }
}
