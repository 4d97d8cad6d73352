namespace Mailroom.Policy.Spf;

/// <summary>The results of RFC 7208 §2.6, as Authentication-Results spells them (lower case).</summary>
public enum SpfResult
{
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
