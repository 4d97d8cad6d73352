using Mailroom.Core;

namespace Mailroom.Core.Tests;

public sealed class QueueIdTests
{
    [Fact]
    public void IdsAreUpperCaseHexAndUniqueEvenWithinOneMillisecond()
    {
        var ids = new HashSet<string>();
        for (int i = 0; i < 5000; i++)
        {
            string id = QueueId.Next(TimeProvider.System);
            Assert.True(QueueId.IsValid(id), id);
            Assert.True(ids.Add(id), $"duplicate {id}");
        }
    }

    [Fact]
    public void IdsKeepIncreasingWhenTheClockStepsBack()
    {
        var clock = new SteppingClock(DateTimeOffset.UtcNow.AddYears(1));
        string first = QueueId.Next(clock);
        clock.Now = clock.Now.AddSeconds(-30);
        string second = QueueId.Next(clock);
        Assert.True(string.CompareOrdinal(second, first) > 0, $"{second} should sort after {first}");
    }

    private sealed class SteppingClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
