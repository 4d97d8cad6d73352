using System.CommandLine;

namespace Mailroom.Toolkit;

/// <summary>Shared option validators (they run only when the option is given, so defaults need no check).</summary>
internal static class OptionRules
{
    public static void AtLeast(Option<int> option, int minimum) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < minimum)
        {
            result.AddError($"{option.Name} must be at least {minimum}.");
        }
    });

    public static void AtLeast(Option<long> option, long minimum) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<long>() < minimum)
        {
            result.AddError($"{option.Name} must be at least {minimum}.");
        }
    });
}
