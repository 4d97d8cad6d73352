using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mailroom.Imap.Tests.Server;

public sealed class OptionsTests
{
    [Fact]
    public void DefaultsAreValidAndDocumentedValues()
    {
        var options = new ImapOptions();
        Assert.True(new ImapOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(143, options.Port);
        Assert.Equal(993, options.ImapsPort);
        Assert.Equal(8192, options.MaxLineLength);
        Assert.Equal(50L * 1024 * 1024, options.MaxLiteralSize);
        Assert.Equal(TimeSpan.FromMinutes(30), options.IdleTimeout);
        Assert.False(options.AllowPlaintextAuth);
        Assert.True(options.AllowPlaintextAuthOnLoopback);
    }

    [Fact]
    public void OutOfRangeValuesAndBadAddressesAreRejected()
    {
        var options = new ImapOptions { Port = 70000, MaxLineLength = 10, MaxErrors = 0, IdleTimeout = TimeSpan.Zero };
        options.BindAddresses.Add("not-an-address");
        ValidateOptionsResult result = new ImapOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        foreach (string name in (string[])["Port", "MaxLineLength", "MaxErrors", "IdleTimeout", "not-an-address"])
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AddMailroomImapRegistersTheValidator()
    {
        IServiceCollection services = new ServiceCollection().AddMailroomImap().AddMailroomImap();
        ServiceDescriptor validator = Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ImapOptions>));
        Assert.Equal(typeof(ImapOptionsValidator), validator.ImplementationType);
        Assert.Same(TimeProvider.System, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
    }
}
