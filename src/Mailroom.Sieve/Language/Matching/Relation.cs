namespace Mailroom.Sieve.Language.Matching;

/// <summary>The relational operators of RFC 5231 §5.</summary>
internal enum Relation
{
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

internal static class Relations
{
    public static bool TryParse(string text, out Relation relation)
    {
        switch (text.ToLowerInvariant())
        {
            case "gt": relation = Relation.Gt; return true;
            case "ge": relation = Relation.Ge; return true;
            case "lt": relation = Relation.Lt; return true;
            case "le": relation = Relation.Le; return true;
            case "eq": relation = Relation.Eq; return true;
            case "ne": relation = Relation.Ne; return true;
            default: relation = default; return false;
        }
    }

    public static bool Holds(Relation relation, int comparison) => relation switch
    {
        Relation.Gt => comparison > 0,
        Relation.Ge => comparison >= 0,
        Relation.Lt => comparison < 0,
        Relation.Le => comparison <= 0,
        Relation.Eq => comparison == 0,
        _ => comparison != 0,
    };
}
