using Mailroom.Directory.Tests.Support;

namespace Mailroom.Directory.Tests;

/// <summary>
/// Plus-addressing as Postfix's virtual(5) with <c>recipient_delimiter</c>: the full address first, then the base
/// address (its detail kept for delivery), then the catch-all.
/// </summary>
public sealed class PlusAddressingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<DirectoryFixture> CreateAsync(string delimiter = "+")
    {
        DirectoryFixture f = await DirectoryFixture.CreateAsync(o => o.RecipientDelimiter = delimiter);
        await f.Admin.AddDomainAsync("example.org", cancellationToken: Ct);
        await f.Admin.AddUserAsync("samt@example.org", "pw", cancellationToken: Ct);
        return f;
    }

    [Fact]
    public async Task PlusAddressReachesTheBaseMailboxWithItsDetail()
    {
        await using DirectoryFixture f = await CreateAsync();

        RecipientResolution result = await f.ResolveAsync("samt+lists@example.org");

        Assert.Equal(RecipientStatus.Resolved, result.Status);
        Assert.Equal(["samt@example.org"], result.LocalMailboxes);
        Assert.Equal("lists", result.Detail);
    }

    [Fact]
    public async Task AliasOfTheFullAddressWinsOverTheBaseAddress()
    {
        await using DirectoryFixture f = await CreateAsync();
        await f.Admin.AddUserAsync("ann@example.org", "pw", cancellationToken: Ct);
        await f.Admin.AddAliasAsync("samt+ann@example.org", ["ann@example.org"], Ct);

        RecipientResolution result = await f.ResolveAsync("samt+ann@example.org");

        Assert.Equal(["ann@example.org"], result.LocalMailboxes);
        Assert.Null(result.Detail);
    }

    [Fact]
    public async Task BaseAddressComesBeforeTheCatchAll()
    {
        await using DirectoryFixture f = await CreateAsync();
        await f.Admin.AddUserAsync("postmaster@example.org", "pw", cancellationToken: Ct);
        await f.Admin.AddAliasAsync("@example.org", ["postmaster@example.org"], Ct);

        Assert.Equal(["samt@example.org"], (await f.ResolveAsync("samt+x@example.org")).LocalMailboxes);
        Assert.Equal(["postmaster@example.org"], (await f.ResolveAsync("nobody+x@example.org")).LocalMailboxes);
    }

    [Fact]
    public async Task UnknownBaseIsUnknownAndAnEmptyDelimiterTurnsItOff()
    {
        await using DirectoryFixture plus = await CreateAsync();
        await using DirectoryFixture off = await CreateAsync(delimiter: "");

        Assert.Equal(RecipientStatus.Unknown, (await plus.ResolveAsync("nobody+x@example.org")).Status);
        Assert.Equal(RecipientStatus.Unknown, (await off.ResolveAsync("samt+lists@example.org")).Status);
    }

    [Fact]
    public async Task AnyOfSeveralDelimiterCharactersSplitsAtTheFirst()
    {
        await using DirectoryFixture f = await CreateAsync(delimiter: "+-");

        RecipientResolution result = await f.ResolveAsync("samt-a+b@example.org");

        Assert.Equal(["samt@example.org"], result.LocalMailboxes);
        Assert.Equal("a+b", result.Detail);
    }

    [Fact]
    public async Task DelimiterAtTheStartIsNotADetail()
    {
        await using DirectoryFixture f = await CreateAsync();

        Assert.Equal(RecipientStatus.Unknown, (await f.ResolveAsync("+samt@example.org")).Status);
    }
}
