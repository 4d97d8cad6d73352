using Mailroom.Core.Filtering;

namespace Mailroom.Smtp.Tests.Support;

/// <summary>A filter that rejects every message whose content contains a word, and counts what it was asked.</summary>
internal sealed class RejectingFilter(string word, string reason) : IDeliveryFilter
{
    public List<(FilterRequest Request, string Content)> Asked { get; } = [];

    public ValueTask<FilterDecision> DecideAsync(FilterRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.OpenMessage());
        string content = reader.ReadToEnd();
        Asked.Add((request, content));
        return ValueTask.FromResult(content.Contains(word, StringComparison.Ordinal)
            ? new FilterDecision([new RejectAction(reason, false)])
            : FilterDecision.Unfiltered("INBOX"));
    }
}
