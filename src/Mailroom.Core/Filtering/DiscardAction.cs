namespace Mailroom.Core.Filtering;

/// <summary>The message is dropped silently (RFC 5228 §4.4): the filter cancelled every delivery.</summary>
public sealed record DiscardAction : FilterAction;
