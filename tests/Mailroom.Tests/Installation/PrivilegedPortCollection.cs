namespace Mailroom.Tests.Installation;

/// <summary>The tests that pick a free port below 1024 run one after another, so two never pick the same one.</summary>
[CollectionDefinition(Name)]
public sealed class PrivilegedPortCollection
{
    public const string Name = "privileged ports";
}
