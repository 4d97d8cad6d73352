using System.Text.Json.Serialization;
using Mailroom.Core;

namespace Mailroom.Queue;

/// <summary>Source-generated JSON for the envelope record at the head of each queue file.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Envelope))]
internal sealed partial class QueueJsonContext : JsonSerializerContext
{
}
