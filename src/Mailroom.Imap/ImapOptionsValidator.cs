using Microsoft.Extensions.Options;

namespace Mailroom.Imap;

/// <summary>Validates <see cref="ImapOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class ImapOptionsValidator : IValidateOptions<ImapOptions>
{
}
