using Microsoft.Extensions.Options;

namespace Mailroom.Directory;

/// <summary>Validates <see cref="DirectoryOptions"/> from its DataAnnotations (source-generated, trimming-safe).</summary>
[OptionsValidator]
public sealed partial class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
}
