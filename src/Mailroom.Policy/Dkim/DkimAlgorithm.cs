namespace Mailroom.Policy.Dkim;

/// <summary>The signing algorithms Mailroom generates keys for: RSA-SHA256 (RFC 6376) and Ed25519-SHA256 (RFC 8463).</summary>
public enum DkimAlgorithm
{
    Rsa,
    Ed25519,
}
