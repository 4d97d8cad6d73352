using Microsoft.Extensions.Options;

namespace Mailroom.Store;

/// <summary>Validates <see cref="StoreOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
}
