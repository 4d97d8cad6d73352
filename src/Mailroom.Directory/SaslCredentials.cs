namespace Mailroom.Directory;

/// <param name="UserName">The authentication identity (RFC 4616 authcid); empty when the response had none.</param>
/// <param name="Password">The password; empty when the response was malformed (it then fails like a wrong password).</param>
public readonly record struct SaslCredentials(string UserName, string Password);
