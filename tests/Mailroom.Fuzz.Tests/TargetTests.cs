namespace Mailroom.Fuzz.Tests;

/// <summary>What run.sh and libFuzzer rely on from each target.</summary>
public sealed class TargetTests
{
    public static TheoryData<string> Names() => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void TargetIsRegisteredUnderItsOwnName(string name)
    {
        using FuzzTarget target = FuzzTargets.Create(name);
        Assert.Equal(name, target.Name);
        Assert.InRange(target.MaxLength, 1, 1 << 20);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TargetDictionaryExists(string name)
    {
        using FuzzTarget target = FuzzTargets.Create(name);
        if (target.Dictionary is not null)
        {
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "fuzz", "dict", target.Dictionary)), target.Dictionary);
        }
    }

    [Fact]
    public void AllocationFarBeyondTheInputSizeIsAFinding()
    {
        using var target = new AllocatingTarget();
        FuzzRunner.Execute(target, new byte[16]);
        Assert.Throws<FuzzFailureException>(() => FuzzRunner.Execute(target, new byte[17]));
    }

    [Fact]
    public void PieceLengthsCoverTheInputWhateverTheSeed()
    {
        for (int seed = 0; seed < 256; seed++)
        {
            foreach (int length in (int[])[0, 1, 2, 100, 4097])
            {
                List<int> pieces = Chunking.Lengths(length, (byte)seed);
                Assert.Equal(length, pieces.Sum());
                Assert.All(pieces, piece => Assert.InRange(piece, 1, Math.Max(1, seed == 0 ? length : seed)));
            }
        }
    }

    /// <summary>Allocates 15 MiB for inputs of up to 16 bytes (within the 16 MiB allowance), 20 MiB for longer ones.</summary>
    private sealed class AllocatingTarget : FuzzTarget
    {
        public override string Name => "allocating";

        public override string Description => "allocates a fixed amount";

        public override void Run(ReadOnlySpan<byte> input) => GC.KeepAlive(new byte[(input.Length <= 16 ? 15 : 20) * 1024 * 1024]);
    }
}
