namespace Mailroom.Testing;

/// <summary>
/// Generating a self-signed certificate takes a while; the first server's files are copied into later servers'
/// TLS directories so the whole run generates one.
/// </summary>
internal static class CertificateCache
{
    private static readonly Lock Gate = new();
    private static (byte[] Cert, byte[] Key)? _files;

    public static void Seed(string tlsDirectory)
    {
        lock (Gate)
        {
            if (_files is { } files)
            {
                System.IO.Directory.CreateDirectory(tlsDirectory);
                File.WriteAllBytes(Path.Combine(tlsDirectory, "cert.pem"), files.Cert);
                File.WriteAllBytes(Path.Combine(tlsDirectory, "key.pem"), files.Key);
            }
        }
    }

    public static void Keep(string tlsDirectory)
    {
        lock (Gate)
        {
            string cert = Path.Combine(tlsDirectory, "cert.pem");
            string key = Path.Combine(tlsDirectory, "key.pem");
            if (_files is null && File.Exists(cert) && File.Exists(key))
            {
                _files = (File.ReadAllBytes(cert), File.ReadAllBytes(key));
            }
        }
    }
}
