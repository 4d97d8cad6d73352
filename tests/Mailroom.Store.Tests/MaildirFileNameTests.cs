using Mailroom.Store.Maildir;

namespace Mailroom.Store.Tests;

public sealed class MaildirFileNameTests
{
    [Fact]
    public void BaseNameAndLettersAreSplitAtTheInfoSeparator()
    {
        const string name = "1700000000.M12P34Q5.host,S=120,W=124:2,RS";
        Assert.Equal("1700000000.M12P34Q5.host,S=120,W=124", MaildirFileName.BaseName(name));
        Assert.Equal("RS", MaildirFileName.InfoLetters(name));
        Assert.Equal("", MaildirFileName.InfoLetters("1700000000.M12P34Q5.host,S=120"));
        Assert.Equal("b:2,FS", MaildirFileName.CurName("b", "FS"));
    }

    [Theory]
    [InlineData("RF", "FRS")]
    [InlineData("", "S")]
    [InlineData("RS", "RS")]
    public void ALetterIsAddedOnceAndInAsciiOrder(string letters, string expected)
    {
        Assert.Equal(expected, MaildirFileName.WithLetter(letters, 'S'));
    }

    [Theory]
    [InlineData("1700000000.M1P2Q3.host,S=120,W=124:2,S", 'S', 120)]
    [InlineData("1700000000.M1P2Q3.host,S=120,W=124:2,S", 'W', 124)]
    [InlineData("1700000000.M1P2Q3.host,S=120", 'W', -1)]
    [InlineData("1700000000.M1P2Q3.host:2,,W=9", 'W', -1)]
    [InlineData("1700000000.M1P2Q3.host,S=", 'S', -1)]
    [InlineData("1700000000.M1P2Q3.host,S=99999999999999999999", 'S', -1)]
    public void SizeFieldsAreReadFromTheBaseOnly(string name, char field, long expected)
    {
        Assert.Equal(expected, MaildirFileName.SizeField(name, field));
    }

    [Fact]
    public void DeliveryOrderComparesTimeFieldsAsNumbers()
    {
        List<string> names =
        [
            "1700000001.M5P1Q1.h,S=1",
            "1700000000.M40P1Q2.h,S=1",
            "1700000000.M5P1Q10.h,S=1",
            "1700000000.M5P1Q9.h,S=1",
            "odd-name",
        ];
        MaildirFileName.SortByDeliveryOrder(names, static n => n);
        Assert.Equal(["odd-name", "1700000000.M5P1Q9.h,S=1", "1700000000.M5P1Q10.h,S=1", "1700000000.M40P1Q2.h,S=1", "1700000001.M5P1Q1.h,S=1"], names);
    }

    [Fact]
    public void SortingByDeliveryOrderAgreesWithTheNumericFields()
    {
        var random = new Random(5);
        var fields = new List<(long Seconds, long Micros, long Counter, string Name)>();
        for (int i = 0; i < 2000; i++)
        {
            (long seconds, long micros, long counter) = (1700000000 + random.Next(3), random.Next(20), random.Next(50));
            fields.Add((seconds, micros, counter, $"{seconds}.M{micros}P7Q{counter}.host{random.Next(3)},S={i}"));
        }

        fields.Add((-1, -1, -1, "no-convention-b"));
        fields.Add((-1, -1, -1, "no-convention-a"));
        string[] expected = [.. fields
            .OrderBy(static f => f.Seconds).ThenBy(static f => f.Micros).ThenBy(static f => f.Counter)
            .ThenBy(static f => f.Name, StringComparer.Ordinal).Select(static f => f.Name)];

        var items = fields.Select(static f => (Name: f.Name, Tag: f.Name.Length)).ToList();
        MaildirFileName.SortByDeliveryOrder(items, static item => item.Name);

        Assert.Equal(expected, items.Select(static item => item.Name));
        Assert.All(items, static item => Assert.Equal(item.Name.Length, item.Tag));
    }
}
