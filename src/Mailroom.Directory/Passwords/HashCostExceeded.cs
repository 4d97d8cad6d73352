namespace Mailroom.Directory.Passwords;

/// <summary>A stored hash asks for more work than <see cref="PasswordLimitsOptions"/> allows (what, how much, which limit).</summary>
internal readonly record struct HashCostExceeded(string Parameter, long Value, string Limit, long Max);
