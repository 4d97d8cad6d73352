using Mailroom.Pop3.Maildir;

namespace Mailroom.Pop3.Tests.Maildir;

public sealed class MaildirFileNameTests
{
    [Fact]
    public void BaseNameAndFlagsAreSplitAtTheInfoSeparator()
    {
        const string name = "1700000000.M12P34Q5.host,S=120:2,RS";
        Assert.Equal("1700000000.M12P34Q5.host,S=120", MaildirFileName.BaseName(name));
        Assert.Equal("RS", MaildirFileName.Flags(name));
        Assert.Equal("", MaildirFileName.Flags("1700000000.M12P34Q5.host,S=120"));
    }

    [Fact]
    public void SeenFlagIsAddedInAsciiOrder()
    {
        Assert.Equal("b:2,FRS", MaildirFileName.WithFlag("b", "RF", 'S'));
        Assert.Equal("b:2,S", MaildirFileName.WithFlag("b", "", 'S'));
    }

    [Fact]
    public void DeliveryOrderComparesTimeFieldsAsNumbers()
    {
        string[] names =
        [
            "1700000001.M5P1Q1.h,S=1",
            "1700000000.M40P1Q2.h,S=1",
            "1700000000.M5P1Q10.h,S=1",
            "1700000000.M5P1Q9.h,S=1",
        ];
        Array.Sort(names, MaildirFileName.CompareDeliveryOrder);
        Assert.Equal(["1700000000.M5P1Q9.h,S=1", "1700000000.M5P1Q10.h,S=1", "1700000000.M40P1Q2.h,S=1", "1700000001.M5P1Q1.h,S=1"], names);
    }

    [Fact]
    public void UniqueIdIsTheBaseNameWhenRfc1939AllowsIt()
    {
        const string name = "1700000000.M12P34Q5.mail,S=120";
        Assert.Equal(name, MaildirFileName.UniqueId(name));
    }

    [Theory]
    [InlineData("1700000000.M12P34Q5.a-very-long-host-name-that-goes-on.example.org,S=1234567")]
    [InlineData("1700000000.M12P34Q5.host with space,S=1")]
    [InlineData("1700000000.M12P34Q5.hôst,S=1")]
    public void UniqueIdIsAStableHashWhenTheNameIsTooLongOrHasForbiddenCharacters(string name)
    {
        string uid = MaildirFileName.UniqueId(name);
        Assert.Equal(uid, MaildirFileName.UniqueId(name));
        Assert.InRange(uid.Length, 1, 70);
        Assert.All(uid, c => Assert.InRange(c, '!', '~'));
        Assert.NotEqual(uid, MaildirFileName.UniqueId(name + "x"));
    }
}
