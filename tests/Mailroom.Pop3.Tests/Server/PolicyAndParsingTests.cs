using System.Text;
using Mailroom.Pop3.Server;

namespace Mailroom.Pop3.Tests.Server;

public sealed class PolicyAndParsingTests
{
    [Theory]
    [InlineData(false, false, false, true, false)]
    [InlineData(false, true, false, true, true)]
    [InlineData(false, true, false, false, false)]
    [InlineData(true, false, false, false, true)]
    [InlineData(false, false, true, false, true)]
    public void PlaintextLoginIsAllowedOnlyOnTlsLoopbackOrWhenConfigured(bool secure, bool loopback, bool allowPlaintext, bool allowLoopback, bool expected)
    {
        var options = new Pop3Options { AllowPlaintextAuth = allowPlaintext, AllowPlaintextAuthOnLoopback = allowLoopback };
        Assert.Equal(expected, Pop3PlaintextPolicy.IsLoginAllowed(options, secure, loopback));
    }

    [Fact]
    public void NonLoopbackPlaintextClientIsRefusedByDefault()
    {
        Assert.False(Pop3PlaintextPolicy.IsLoginAllowed(new Pop3Options(), isSecure: false, isLoopback: false));
        Assert.True(Pop3PlaintextPolicy.IsLoginAllowed(new Pop3Options(), isSecure: true, isLoopback: false));
    }

    [Theory]
    [InlineData("user Charlie@Alpha.example.org", "USER", "Charlie@Alpha.example.org")]
    [InlineData("PASS two words ", "PASS", "two words")]
    [InlineData("stat", "STAT", "")]
    [InlineData("X-ODD", "", "")]
    [InlineData("", "", "")]
    public void CommandLinesSplitIntoAnUpperCaseVerbAndArgument(string line, string verb, string argument)
    {
        Assert.True(Pop3Session.TryParse(Encoding.UTF8.GetBytes(line), out string parsedVerb, out string parsedArgument));
        Assert.Equal(verb, parsedVerb);
        Assert.Equal(argument, parsedArgument);
    }

    [Fact]
    public void NulBytesAndInvalidUtf8AreRejected()
    {
        Assert.False(Pop3Session.TryParse("US\0ER x"u8, out _, out _));
        Assert.False(Pop3Session.TryParse([(byte)'U', (byte)'S', (byte)'E', (byte)'R', (byte)' ', 0xFF], out _, out _));
    }

    [Fact]
    public void MailboxLockIsExclusiveUntilReleased()
    {
        var locks = new Pop3MailboxLocks();
        IDisposable? first = locks.TryAcquire("charlie@alpha.example.org");
        Assert.NotNull(first);
        Assert.Null(locks.TryAcquire("Charlie@alpha.example.org"));
        first.Dispose();
        first.Dispose();
        using IDisposable? second = locks.TryAcquire("charlie@alpha.example.org");
        Assert.NotNull(second);
        Assert.True(locks.IsLocked("charlie@alpha.example.org"));
    }
}
