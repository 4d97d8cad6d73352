namespace Mailroom.Smtp.Protocol;

internal enum ContentViolation
{
    None,

    /// <summary>A CR not followed by LF, or an LF not preceded by CR (rejected unless normalising).</summary>
    BareLineEnding,

    /// <summary>A NUL byte outside BINARYMIME content.</summary>
    Nul,
}
