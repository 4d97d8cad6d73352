namespace Mailroom.Toolkit.Check;

/// <summary>One line of the validation report: which check, on what, the verdict and why.</summary>
internal sealed record CheckResult(string Check, string Target, CheckStatus Status, string Reason);
