using Mailroom.Directory.Passwords;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Directory.Tests.Support;

internal static class TestOptions
{
    /// <summary>bcrypt's minimum cost keeps tests fast; the cost only scales the same algorithm.</summary>
    public static DirectoryOptions Create(string databasePath = "unused.db") => new()
    {
        DatabasePath = databasePath,
        BcryptCost = 4,
    };

    public static PasswordSchemes Schemes(int bcryptCost = 4) =>
        new(Options.Create(new DirectoryOptions { BcryptCost = bcryptCost }), NullLogger<PasswordSchemes>.Instance);
}
