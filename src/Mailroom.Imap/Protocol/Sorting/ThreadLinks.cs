namespace Mailroom.Imap.Protocol.Sorting;

/// <summary>A message's Message-ID and References (RFC 5256 §3 step 1) as numbers of its folder's <see cref="ThreadIdTable"/>.</summary>
/// <param name="Id">The number of its Message-ID, or <see cref="NoId"/> when it has none.</param>
/// <param name="References">The numbers of its References ids, oldest first.</param>
internal sealed record ThreadLinks(int Id, int[] References)
{
    public const int NoId = -1;
}
