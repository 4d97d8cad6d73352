namespace Mailroom.Toolkit.Check;

internal enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}
