using System.ComponentModel.DataAnnotations;

namespace Mailroom.Store;

/// <summary>Options of the mailbox store, bound from the configuration section <c>Store</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Store";

    /// <summary>
    /// Root of the mail store: mailbox <c>user@domain</c> is the Maildir <c>&lt;MailRoot&gt;/&lt;domain&gt;/&lt;user&gt;/</c>.
    /// Default <c>data/mail</c>, the layout of the data directory (the host sets <c>&lt;data&gt;/mail</c>).
    /// </summary>
    [Required]
    [MinLength(1)]
    public string MailRoot { get; set; } = Path.Combine("data", "mail");
}
