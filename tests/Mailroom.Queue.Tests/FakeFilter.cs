using Mailroom.Core.Filtering;

namespace Mailroom.Queue.Tests;

/// <summary>A filter that answers a fixed decision and notes what it was asked and whether the decision was committed.</summary>
internal sealed class FakeFilter(params FilterAction[] actions) : IDeliveryFilter
{
    public List<FilterRequest> Requests { get; } = [];

    public int Commits { get; private set; }

    public ValueTask<FilterDecision> DecideAsync(FilterRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return ValueTask.FromResult(new FilterDecision(actions, commit: _ =>
        {
            Commits++;
            return ValueTask.CompletedTask;
        }));
    }
}
