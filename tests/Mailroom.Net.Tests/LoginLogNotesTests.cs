namespace Mailroom.Net.Tests;

public sealed class LoginLogNotesTests
{
    [Fact]
    public void AUserNameAtTheLimitIsLoggedWholeAndALongerOneIsCut()
    {
        string longest = new('u', LoginLogNotes.MaxLoggedUserLength);

        Assert.Equal(longest, LoginLogNotes.Shorten(longest));
        Assert.Equal(longest + "...", LoginLogNotes.Shorten(longest + "u"));
        Assert.Equal(longest + "...", LoginLogNotes.Shorten(new string('u', 1024 * 1024)));
    }
}
