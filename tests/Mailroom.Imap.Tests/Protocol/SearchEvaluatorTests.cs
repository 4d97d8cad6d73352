using Mailroom.Imap.Protocol;
using Mailroom.Store.Mailboxes;
using Mailroom.Imap.Protocol.Mime;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class SearchEvaluatorTests
{
    private const string Message = """
        From: "Alice Example" <alice@example.org>
        To: bob@example.org
        Cc: carol@example.org
        Bcc: dave@example.org
        Subject: =?UTF-8?Q?Caf=C3=A9_meeting?=
        Date: Tue, 5 Mar 2024 23:30:00 -0800
        X-Mailer: Tester
        Content-Type: multipart/alternative; boundary=b

        --b
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        See you at the caf=C3=A9 tomorrow.
        --b
        Content-Type: text/html

        <p>HTML only words</p>
        --b--

        """;

    private static readonly MessageRecord Record = new(
        Uid: 42,
        BaseName: "1700000000.M1P1.host",
        Size: 1000,
        InternalDate: new DateTimeOffset(2024, 3, 7, 1, 0, 0, TimeSpan.FromHours(2)),
        Flags: MessageFlags.Seen | MessageFlags.Flagged,
        Keywords: ["$Forwarded", "Work"],
        ModSeq: 77);

    private static bool Matches(string criteria, bool recent = false, int sequence = 3, IReadOnlySet<uint>? saved = null)
    {
        (MemoryStream stream, BodyPart parsed) = ProtocolWire.Parse(Message);
        using (stream)
        {
            ImapArgumentReader reader = ProtocolWire.Reader(criteria);
            SearchRequest request = SearchRequest.Parse(ref reader, allowReturnOptions: true, maxDepth: 64, maxKeys: 1000);
            TestMessage message = new(sequence, Record, recent, new MessageText(stream, parsed), EmailId, SaveDate);
            return SearchEvaluator.Matches(request.Key, message, lastSequence: 5, lastUid: 50, saved);
        }
    }

    [Theory]
    [InlineData("ALL", true)]
    [InlineData("SEEN", true)]
    [InlineData("UNSEEN", false)]
    [InlineData("FLAGGED", true)]
    [InlineData("UNFLAGGED", false)]
    [InlineData("ANSWERED", false)]
    [InlineData("UNANSWERED", true)]
    [InlineData("DELETED", false)]
    [InlineData("UNDELETED", true)]
    [InlineData("DRAFT", false)]
    [InlineData("UNDRAFT", true)]
    [InlineData("KEYWORD work", true)]
    [InlineData("KEYWORD Personal", false)]
    [InlineData("UNKEYWORD $forwarded", false)]
    [InlineData("UNKEYWORD Personal", true)]
    public void FlagAndKeywordKeys(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Theory]
    [InlineData("RECENT", true, true)]
    [InlineData("RECENT", false, false)]
    [InlineData("OLD", false, true)]
    [InlineData("NEW", true, false)]
    [InlineData("NOT NEW", true, true)]
    public void RecentOldAndNew(string criteria, bool recent, bool expected)
    {
        Assert.Equal(expected, Matches(criteria, recent));
    }

    [Theory]
    [InlineData("3", true)]
    [InlineData("1:2", false)]
    [InlineData("4:2", true)]
    [InlineData("*", false)]
    [InlineData("3:*", true)]
    [InlineData("UID 42", true)]
    [InlineData("UID 40:41,43:*", false)]
    [InlineData("UID *:42", true)]
    public void SequenceAndUidKeys(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Fact]
    public void SavedResultMatchesTheSavedUids()
    {
        Assert.True(Matches("$", saved: new HashSet<uint> { 42 }));
        Assert.False(Matches("UID $", saved: new HashSet<uint> { 41 }));
        Assert.False(Matches("$"));
    }

    [Theory]
    [InlineData("ON 7-Mar-2024", true)]
    [InlineData("BEFORE 7-Mar-2024", false)]
    [InlineData("BEFORE 8-Mar-2024", true)]
    [InlineData("SINCE 7-Mar-2024", true)]
    [InlineData("SINCE 8-Mar-2024", false)]
    [InlineData("SENTON 5-Mar-2024", true)]
    [InlineData("SENTBEFORE 5-Mar-2024", false)]
    [InlineData("SENTBEFORE 6-Mar-2024", true)]
    [InlineData("SENTSINCE 5-Mar-2024", true)]
    [InlineData("SENTSINCE 6-Mar-2024", false)]
    public void DateKeysIgnoreTimeAndZone(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Theory]
    [InlineData("LARGER 999", true)]
    [InlineData("LARGER 1000", false)]
    [InlineData("SMALLER 1001", true)]
    [InlineData("SMALLER 1000", false)]
    [InlineData("MODSEQ 77", true)]
    [InlineData("MODSEQ 78", false)]
    public void SizeAndModSeqKeys(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Theory]
    [InlineData("FROM ALICE", true)]
    [InlineData("FROM \"Alice Example\"", true)]
    [InlineData("FROM bob", false)]
    [InlineData("TO bob@example", true)]
    [InlineData("CC carol", true)]
    [InlineData("BCC dave", true)]
    [InlineData("SUBJECT \"caf\u00e9 MEET\"", true)]
    [InlineData("SUBJECT lunch", false)]
    [InlineData("HEADER X-Mailer test", true)]
    [InlineData("HEADER X-Mailer \"\"", true)]
    [InlineData("HEADER X-Missing \"\"", false)]
    [InlineData("BODY tomorrow", true)]
    [InlineData("BODY \"caf\u00e9 TOMORROW\"", true)]
    [InlineData("BODY \"html only\"", true)]
    [InlineData("BODY Tester", false)]
    [InlineData("TEXT Tester", true)]
    [InlineData("TEXT tomorrow", true)]
    [InlineData("TEXT absent", false)]
    public void HeaderBodyAndTextKeysMatchDecodedTextCaseInsensitively(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Theory]
    [InlineData("OR ANSWERED FLAGGED", true)]
    [InlineData("OR ANSWERED DRAFT", false)]
    [InlineData("NOT SEEN", false)]
    [InlineData("SEEN FLAGGED", true)]
    [InlineData("SEEN ANSWERED", false)]
    [InlineData("(OR DRAFT (SEEN KEYWORD work)) UID 42", true)]
    public void BooleanCombinations(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Theory]
    [InlineData("EMAILID Mabc_123-x", true)]
    [InlineData("EMAILID mabc_123-x", false)]
    [InlineData("EMAILID Mabc", false)]
    [InlineData("THREADID Mabc_123-x", false)]
    [InlineData("NOT THREADID T1", true)]
    [InlineData("SAVEDATESUPPORTED", true)]
    [InlineData("SAVEDON 9-Mar-2024", true)]
    [InlineData("SAVEDON 7-Mar-2024", false)]
    [InlineData("SAVEDBEFORE 10-Mar-2024", true)]
    [InlineData("SAVEDBEFORE 9-Mar-2024", false)]
    [InlineData("SAVEDSINCE 9-Mar-2024", true)]
    [InlineData("SAVEDSINCE 10-Mar-2024", false)]
    [InlineData("SAVEDON 7-Mar-2024 ON 7-Mar-2024", false)]
    [InlineData("SAVEDSINCE 8-Mar-2024 ON 7-Mar-2024", true)]
    public void ObjectIdAndSaveDateKeysReadTheStoresIdAndSaveDateNotTheInternalDate(string criteria, bool expected)
    {
        Assert.Equal(expected, Matches(criteria));
    }

    [Theory]
    [InlineData("EMAILID \"not an id\"")]
    [InlineData("EMAILID")]
    [InlineData("THREADID a.b")]
    [InlineData("SAVEDON 32-Mar-2024")]
    public void AnInvalidObjectIdOrSaveDateIsAParseError(string criteria)
    {
        Assert.Throws<ImapParseException>(() => Matches(criteria));
    }

    [Fact]
    public void AnObjectIdOfTheLongestAllowedLengthIsAcceptedAndOneCharacterMoreIsNot()
    {
        Assert.False(Matches("EMAILID " + new string('a', 255)));
        Assert.Throws<ImapParseException>(() => Matches("EMAILID " + new string('a', 256)));
    }

    private const string EmailId = "Mabc_123-x";

    // Saved two days after its internal date (a COPY keeps the internal date, not the save date).
    private static readonly DateTimeOffset SaveDate = new(2024, 3, 9, 12, 0, 0, TimeSpan.Zero);

    private sealed record TestMessage(int SequenceNumber, MessageRecord Record, bool IsRecent, MessageText Text, string EmailId, DateTimeOffset SaveDate) : ISearchMessage;
}
