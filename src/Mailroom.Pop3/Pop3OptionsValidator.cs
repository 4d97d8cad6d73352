using Microsoft.Extensions.Options;

namespace Mailroom.Pop3;

/// <summary>Validates <see cref="Pop3Options"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class Pop3OptionsValidator : IValidateOptions<Pop3Options>
{
}
