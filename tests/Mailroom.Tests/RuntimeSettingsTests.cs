using System.Text.Json;

namespace Mailroom.Tests;

/// <summary>
/// The .NET runtime settings the program carries in its runtimeconfig.json (and so in the published single file and the
/// installed service), each chosen by measurement (bench/RESULTS.md, "Issue 14: runtime settings in the steady state"
/// and "Issue 14: the JIT after start, and the per-connection path").
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static readonly JsonElement s_properties = ReadConfigProperties();

    [Fact]
    public void MethodsWithoutReadyToRunCodeAreCompiledOnceOptimisedInsteadOfAtTierZeroFirst() =>
        Assert.False(s_properties.GetProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean());

    [Fact]
    public void TieredCompilationAndDynamicPgoStayOnSoReadyToRunCodeIsStillReoptimisedWhenHot()
    {
        Assert.True(s_properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.False(s_properties.TryGetProperty("System.Runtime.TieredCompilation", out JsonElement tiered) && !tiered.GetBoolean());
    }

    [Fact]
    public void IdleThreadPoolWorkersBlockAtOnceInsteadOfSpinning() =>
        Assert.Equal(0, s_properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());

    private static JsonElement ReadConfigProperties()
    {
        // The referenced executable's runtimeconfig.json is copied next to the test assembly, as the build writes it.
        string path = Path.Combine(AppContext.BaseDirectory, "mailroom.runtimeconfig.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
