using Microsoft.Extensions.Options;

namespace Mailroom.Sieve;

/// <summary>Validates <see cref="SieveOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class SieveOptionsValidator : IValidateOptions<SieveOptions>
{
}
