using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Delivery;

/// <summary>Validates <see cref="LocalDeliveryOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class LocalDeliveryOptionsValidator : IValidateOptions<LocalDeliveryOptions>
{
}
