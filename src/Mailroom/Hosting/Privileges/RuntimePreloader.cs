using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// Loads, while still root, what .NET would otherwise load on first use from files the service user cannot read: a
/// clone under /root is 0700, and so is a runtime installed there by dotnet-install. Of the assemblies the host
/// resolved for this application (the trusted platform assemblies: the application's own and the shared
/// framework's), those the user could not read are loaded now; the others stay lazy, as loading every one of them
/// would cost some 25 MB of memory for nothing. SQLite's native library is loaded by opening an in-memory database;
/// OpenSSL's shim by the certificate, which is read before the drop.
/// </summary>
internal static class RuntimePreloader
{
    /// <summary>Returns how many assemblies were loaded.</summary>
    public static int Preload(ServiceAccount account)
    {
        var passable = new Dictionary<string, bool>(StringComparer.Ordinal);
        int loaded = 0;
        string paths = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (string path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (Readable(path, account, passable))
            {
                continue;
            }

            try
            {
                Assembly.Load(AssemblyName.GetAssemblyName(path));
                loaded++;
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                // Not a loadable assembly for this runtime (a reference facade for another platform): nothing asks for it.
            }
        }

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return loaded;
    }

    private static bool Readable(string path, ServiceAccount account, Dictionary<string, bool> passable)
    {
        if (FileOwnership.Of(path) is not { } file)
        {
            return true;
        }

        return account.CanRead(file) && Passable(Path.GetDirectoryName(path), account, passable);
    }

    private static bool Passable(string? directory, ServiceAccount account, Dictionary<string, bool> passable)
    {
        if (directory is null)
        {
            return true;
        }

        if (!passable.TryGetValue(directory, out bool result))
        {
            result = (FileOwnership.Of(directory) is not { } status || account.CanSearch(status))
                && Passable(Path.GetDirectoryName(directory), account, passable);
            passable[directory] = result;
        }

        return result;
    }
}
