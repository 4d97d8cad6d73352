using System.Text;

namespace Mailroom.Interop.Tests.Support;

/// <summary>Reads what the server delivered, straight from the Maildir files (DESIGN invariant 6: plain files).</summary>
internal static class Maildir
{
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public static string PathOf(string dataDirectory, string address)
    {
        int at = address.LastIndexOf('@');
        return Path.Combine(dataDirectory, "mail", address[(at + 1)..].ToLowerInvariant(), address[..at]);
    }

    /// <summary>Delivered message files (new/ and cur/); tmp/ holds deliveries in progress and is not mail yet.</summary>
    public static IReadOnlyList<string> Messages(string dataDirectory, string address)
    {
        string root = PathOf(dataDirectory, address);
        return new[] { "new", "cur" }
            .Select(sub => Path.Combine(root, sub))
            .Where(System.IO.Directory.Exists)
            .SelectMany(System.IO.Directory.EnumerateFiles)
            .ToList();
    }

    /// <summary>Waits until a delivered message contains <paramref name="marker"/>, and returns its bytes.</summary>
    public static async Task<byte[]> WaitForMessageAsync(string dataDirectory, string address, string marker, TimeSpan? timeout = null)
    {
        byte[] needle = Encoding.UTF8.GetBytes(marker);
        return await Eventually.WaitForAsync(
            () => Messages(dataDirectory, address)
                .Select(TryRead)
                .FirstOrDefault(bytes => bytes is not null && bytes.AsSpan().IndexOf(needle) >= 0),
            timeout ?? DeliveryTimeout,
            $"a message containing '{marker}' in the Maildir of {address}");
    }

    /// <summary>A file can be renamed from new/ to cur/ between listing and reading; that is not an error.</summary>
    public static byte[]? TryRead(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
