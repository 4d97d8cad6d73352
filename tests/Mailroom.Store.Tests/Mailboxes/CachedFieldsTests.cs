using Mailroom.Store.Mailboxes;

namespace Mailroom.Store.Tests.Mailboxes;

public sealed class CachedFieldsTests
{
    [Fact]
    public void TheCountHasASlotForEveryCachedFieldAndNoMore()
    {
        CachedField[] fields = Enum.GetValues<CachedField>();

        Assert.Equal(CachedFields.Count, fields.Length);
        Assert.All(fields, field => Assert.InRange((int)field, 0, CachedFields.Count - 1));
    }
}
