namespace Mailroom.Policy.Milter;

/// <summary>A change a milter asked for at the end of a message, applied in the order received.</summary>
public abstract record MilterModification;

/// <summary>SMFIR_ADDHEADER: append a field at the end of the header.</summary>
public sealed record HeaderAdded(string Name, string Value) : MilterModification;

/// <summary>SMFIR_INSHEADER: insert a field before the field at <paramref name="Index"/> (0 = the top).</summary>
public sealed record HeaderInserted(int Index, string Name, string Value) : MilterModification;

/// <summary>SMFIR_CHGHEADER: replace the <paramref name="Occurrence"/>th (from 1) field of that name; an empty value deletes it.</summary>
public sealed record HeaderChanged(int Occurrence, string Name, string Value) : MilterModification;

/// <summary>SMFIR_CHGFROM: a new envelope sender.</summary>
public sealed record SenderChanged(string Address) : MilterModification;

/// <summary>SMFIR_ADDRCPT / SMFIR_ADDRCPT_PAR: another envelope recipient.</summary>
public sealed record RecipientAdded(string Address) : MilterModification;

/// <summary>SMFIR_DELRCPT: an envelope recipient removed.</summary>
public sealed record RecipientDeleted(string Address) : MilterModification;
