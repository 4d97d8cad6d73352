using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Mailroom.Hosting.Privileges;

/// <summary>
/// Loads, while still root, what .NET would otherwise load on first use from directories the service user may not
/// be able to read: a clone under /root is 0700, and so is a runtime installed there by dotnet-install. Every
/// assembly the host resolved for this application (the trusted platform assemblies: the application's own and the
/// shared framework's) is loaded, and SQLite's native library is loaded by opening an in-memory database. OpenSSL's
/// shim is loaded by the certificate, which is read before the drop.
/// </summary>
internal static class RuntimePreloader
{
    /// <summary>Returns how many assemblies were loaded.</summary>
    public static int Preload()
    {
        int loaded = 0;
        string paths = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (string path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                Assembly.Load(AssemblyName.GetAssemblyName(path));
                loaded++;
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                // Not a loadable assembly for this runtime (a native image, a reference facade for another platform):
                // nothing will ask for it.
            }
        }

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return loaded;
    }
}
