using System.Text.Json.Serialization;

namespace Mailroom.Hosting.Observability;

/// <summary>What <c>mailroom status</c> shows, as the running server reports it on its control socket.</summary>
internal sealed record StatusReport(
    string Version,
    int ProcessId,
    DateTimeOffset Started,
    DateTimeOffset Now,
    string DataDirectory,
    IReadOnlyList<StatusListener> Listeners,
    IReadOnlyList<StatusQueueState> Queue,
    StatusCertificate? Certificate,
    IReadOnlyList<RecentError> RecentErrors,
    string? MetricsEndpoint);

internal sealed record StatusListener(string Name, IReadOnlyList<string> EndPoints, int Sessions);

internal sealed record StatusQueueState(string State, int Messages, double OldestAgeSeconds);

internal sealed record StatusCertificate(string Subject, string Issuer, string File, DateTimeOffset NotAfter, bool SelfSigned);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
