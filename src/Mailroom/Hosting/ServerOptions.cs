namespace Mailroom.Hosting;

/// <summary>How the server process runs (configuration section <c>Server</c>).</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>The user name that means: stay root.</summary>
    public const string Root = "root";

    /// <summary>
    /// The user <c>serve</c> runs as when started as root, once its ports are bound and its certificate read (DESIGN
    /// invariant 6, like Postfix's <c>mail_owner</c> and Dovecot's <c>default_internal_user</c>). Default
    /// <c>mailroom</c>, created as a system user without a login shell when missing. <c>root</c> keeps every
    /// privilege and is only for an admin who asks for it. Ignored when not started as root: the process already is
    /// an unprivileged user.
    /// </summary>
    public string User { get; set; } = "mailroom";
}
