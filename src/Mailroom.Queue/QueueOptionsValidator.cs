using Microsoft.Extensions.Options;

namespace Mailroom.Queue;

/// <summary>Validates <see cref="QueueOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class QueueOptionsValidator : IValidateOptions<QueueOptions>
{
}
