namespace Mailroom.Net.Tests;

public sealed class NetOptionsValidatorTests
{
    [Fact]
    public void DefaultsAreValid()
    {
        var result = new NetOptionsValidator().Validate(null, new NetOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void EachBadValueIsReportedWithItsKey()
    {
        var options = new NetOptions { MaxConnections = 0, ShutdownTimeout = TimeSpan.Zero };
        options.Tls.KeyFile = "/etc/ssl/private/key.pem";
        options.AuthThrottle.MaxDelay = TimeSpan.FromMilliseconds(1);

        var result = new NetOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Net:MaxConnections must be between 1 and 1000000 (was 0)",
                "Net:ShutdownTimeout must be a positive time span (was 00:00:00)",
                "Net:Tls:KeyFile is set but Net:Tls:CertificateFile is not; set both or neither",
                "Net:AuthThrottle:MaxDelay (00:00:00.0010000) must not be below Net:AuthThrottle:BaseDelay (00:00:02)",
            ],
            result.Failures);
    }
}
