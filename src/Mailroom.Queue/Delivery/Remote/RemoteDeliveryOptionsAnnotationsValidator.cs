using Microsoft.Extensions.Options;

namespace Mailroom.Queue.Delivery.Remote;

/// <summary>The DataAnnotations of <see cref="RemoteDeliveryOptions"/>, checked by source-generated code.</summary>
[OptionsValidator]
internal sealed partial class RemoteDeliveryOptionsAnnotationsValidator : IValidateOptions<RemoteDeliveryOptions>
{
}
