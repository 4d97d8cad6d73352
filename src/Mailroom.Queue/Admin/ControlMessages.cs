using System.Text.Json.Serialization;

namespace Mailroom.Queue.Admin;

/// <summary>One request on the control socket: a JSON line.</summary>
internal sealed record ControlRequest(string Command, string? Id);

/// <summary>The answer: a JSON line.</summary>
internal sealed record ControlResponse(bool Ok, string? Error, int Count, IReadOnlyList<QueuedMessageInfo>? Messages)
{
    /// <summary>The answer to <c>limits</c>: the running server's sending-limit counters.</summary>
    public IReadOnlyList<Core.SendingCounterInfo>? Counters { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(IReadOnlyList<QueuedMessageInfo>))]
[JsonSerializable(typeof(IReadOnlyList<Core.SendingCounterInfo>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext
{
}
