using Microsoft.Extensions.Options;

namespace Mailroom.Sieve.ManageSieve;

/// <summary>Validates <see cref="ManageSieveOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class ManageSieveOptionsValidator : IValidateOptions<ManageSieveOptions>
{
}
