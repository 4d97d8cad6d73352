namespace Mailroom.Queue.Delivery.Remote;

/// <summary>Where to connect for one destination, or why there is nowhere to connect.</summary>
/// <param name="Targets">Addresses in the order to try them; empty when resolution failed.</param>
/// <param name="Failure">Why there are no targets (status, dsn, text); null on success.</param>
internal sealed record TargetResolution(IReadOnlyList<SmtpTarget> Targets, RemoteFailure? Failure);
