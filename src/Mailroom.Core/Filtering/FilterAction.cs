namespace Mailroom.Core.Filtering;

/// <summary>One thing a filter decided should happen to the message; executed in the order given.</summary>
public abstract record FilterAction;
