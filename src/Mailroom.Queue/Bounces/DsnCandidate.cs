using Mailroom.Queue.Delivery;

namespace Mailroom.Queue.Bounces;

/// <summary>A recipient that reached a final state in an attempt, with what the sender may need to hear.</summary>
/// <param name="Index">The recipient's index in the envelope.</param>
/// <param name="Outcome">Status, dsn and text as logged.</param>
/// <param name="Remote">The remote agent's result, when the recipient was remote.</param>
internal sealed record DsnCandidate(int Index, RecipientOutcome Outcome, RemoteDeliveryResult? Remote);
