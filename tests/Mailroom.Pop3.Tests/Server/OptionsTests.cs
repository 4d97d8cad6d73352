using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mailroom.Pop3.Tests.Server;

public sealed class OptionsTests
{
    [Fact]
    public void DefaultsAreValidAndDocumented()
    {
        var options = new Pop3Options();
        Assert.Equal(110, options.Port);
        Assert.Equal(995, options.Pop3sPort);
        Assert.Equal(["0.0.0.0", "::"], options.BindAddresses);
        Assert.Equal(1024, options.MaxLineLength);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
        Assert.Equal(10, options.MaxErrors);
        Assert.False(options.AllowPlaintextAuth);
        Assert.True(options.AllowPlaintextAuthOnLoopback);
        Assert.True(new Pop3OptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void BadValuesAreReportedWithTheirNames()
    {
        var options = new Pop3Options { Port = 70000, MaxLineLength = 10, IdleTimeout = TimeSpan.Zero };
        options.BindAddresses.Add("not-an-address");
        ValidateOptionsResult result = new Pop3OptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Port", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("MaxLineLength", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("IdleTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("not-an-address", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMailroomPop3RegistersTheSharedLocksAndTheValidator()
    {
        var services = new ServiceCollection();
        services.AddMailroomPop3();
        services.AddMailroomPop3();
        Assert.Single(services, d => d.ServiceType == typeof(Pop3MailboxLocks) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<Pop3Options>) && d.ImplementationType == typeof(Pop3OptionsValidator));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
    }
}
