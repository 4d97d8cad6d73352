using Mailroom.Imap.Protocol;
using Mailroom.Imap.Protocol.Mime;
using Mailroom.Imap.Protocol.Sorting;

namespace Mailroom.Imap.Tests.Protocol.Sorting;

/// <summary>SORT criteria (RFC 5256 §3, RFC 5957) and the keys they read.</summary>
public sealed class SortingTests
{
    private static MessageSortKeys Keys(string header) =>
        SortKeyExtractor.Extract(MimeStructureParser.ParseHeader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(header.ReplaceLineEndings("\r\n") + "\r\nbody\r\n")), MessageLimits.Default), 100);

    private static SortableMessage Message(int sequence, string header, long size = 100, int internalMinute = 0) =>
        new(sequence, (uint)sequence, new DateTimeOffset(2024, 1, 1, 0, internalMinute, 0, TimeSpan.Zero).UtcTicks, size, Keys(header));

    private static string Sorted(string criteria, params SortableMessage[] messages)
    {
        SortRequest request = SortRequest.Parse(ProtocolWire.Reader(criteria + " UTF-8 ALL"), 64, 1000);
        MessageSorter.Sort(messages, request.Criteria, TestContext.Current.CancellationToken);
        return string.Join(' ', messages.Select(m => m.Number));
    }

    [Fact]
    public void KeysAreReadFromTheHeaderFolded()
    {
        MessageSortKeys keys = Keys("""
            Date: Mon, 7 Feb 1994 21:52:25 -0800
            Subject: Re: [list] =?UTF-8?Q?Caf=C3=A9?= news
            From: "=?UTF-8?Q?J=C3=B6rg?= Smith" <joerg@example.org>, other@example.org
            To: undisclosed:; , <bob@Example.ORG>
            Cc: carol@example.net
            Message-ID: <id.1@example.org>
            In-Reply-To: <parent@example.org>
            """);
        Assert.Equal(new DateTimeOffset(1994, 2, 8, 5, 52, 25, TimeSpan.Zero).UtcTicks, keys.SentDateUtcTicks);
        Assert.Equal("CAFé NEWS", keys.Subject);
        Assert.True(keys.IsReplyOrForward);
        Assert.Equal("JOERG", keys.From);
        Assert.Equal("UNDISCLOSED", keys.To);
        Assert.Equal("CAROL", keys.Cc);
        Assert.Equal("JöRG SMITH", keys.DisplayFrom);
        Assert.Equal("UNDISCLOSED", keys.DisplayTo);
        Assert.Equal("id.1@example.org", keys.MessageId);
        Assert.Equal(["parent@example.org"], keys.References);
    }

    [Fact]
    public void AnAddressWithoutDomainDisplaysAsItsMailbox()
    {
        MessageSortKeys keys = Keys("From: d\r\nTo: b@c.d");
        Assert.Equal("D", keys.DisplayFrom);
        Assert.Equal("B@C.D", keys.DisplayTo);
    }

    [Fact]
    public void ReferencesWinOverInReplyToAndAreBounded()
    {
        MessageSortKeys keys = SortKeyExtractor.Extract(MimeStructureParser.ParseHeader(new MemoryStream(
            "References: <a@x> <b@x> <c@x>\r\nIn-Reply-To: <z@x>\r\n\r\n"u8.ToArray()), MessageLimits.Default), maxReferences: 2);
        Assert.Equal(["b@x", "c@x"], keys.References);
    }

    [Fact]
    public void AMessageWithoutHeadersHasEmptyKeysAndNoDate()
    {
        MessageSortKeys keys = Keys("X-Nothing: here");
        Assert.Equal(MessageSortKeys.NoDate, keys.SentDateUtcTicks);
        Assert.Equal(string.Empty, keys.Subject + keys.From + keys.To + keys.Cc + keys.DisplayFrom + keys.DisplayTo + keys.MessageId);
        Assert.Empty(keys.References);
    }

    [Fact]
    public void CachedFormRoundTripsAndOtherVersionsAreRecomputed()
    {
        MessageSortKeys keys = Keys("Subject: Re: x\r\nFrom: a@b\r\nReferences: <1@x> <2@x>\r\nDate: 1 Jan 2020 00:00:00 +0000");
        MessageSortKeys? back = MessageSortKeys.Deserialize(keys.Serialize());
        Assert.NotNull(back);
        Assert.Equal(keys with { References = [] }, back with { References = [] });
        Assert.Equal(keys.References, back.References);

        byte[] other = keys.Serialize();
        other[0] = 99;
        Assert.Null(MessageSortKeys.Deserialize(other));
        Assert.Null(MessageSortKeys.Deserialize(keys.Serialize()[..5]));
        Assert.Null(MessageSortKeys.Deserialize([]));
    }

    [Fact]
    public void DateSortUsesTheSentDateInUtcAndFallsBackToTheInternalDate()
    {
        Assert.Equal("3 1 2", Sorted("(DATE)",
            Message(1, "Date: Mon, 1 Jan 2024 10:00:00 +0000"),
            Message(2, "Date: Mon, 1 Jan 2024 10:00:00 -0100"),
            Message(3, "Subject: no date", internalMinute: 30)));
    }

    [Fact]
    public void ArrivalSortUsesTheInternalDate()
    {
        Assert.Equal("2 1", Sorted("(ARRIVAL)", Message(1, "Subject: a", internalMinute: 9), Message(2, "Subject: b", internalMinute: 1)));
    }

    [Fact]
    public void SubjectSortComparesBaseSubjectsCaseInsensitively()
    {
        Assert.Equal("2 3 1", Sorted("(SUBJECT)",
            Message(1, "Subject: zebra"),
            Message(2, "Subject: Re: Apple"),
            Message(3, "Subject: [list] banana")));
    }

    [Fact]
    public void AddressSortsUseTheMailboxOfTheFirstAddress()
    {
        SortableMessage[] messages =
        [
            Message(1, "From: Zed <alice@z.example>\r\nTo: carl@x\r\nCc: bea@x"),
            Message(2, "From: Ann <bob@a.example>\r\nTo: abe@x\r\nCc: cid@x"),
            Message(3, "Subject: nobody"),
        ];
        Assert.Equal("3 1 2", Sorted("(FROM)", [.. messages]));
        Assert.Equal("3 2 1", Sorted("(TO)", [.. messages]));
        Assert.Equal("3 1 2", Sorted("(CC)", [.. messages]));
    }

    [Fact]
    public void DisplaySortsUseTheDisplayNameOrElseTheAddress()
    {
        SortableMessage[] messages =
        [
            Message(1, "From: Zed <alice@z.example>\r\nTo: <carl@x>"),
            Message(2, "From: bob@a.example\r\nTo: Abe <zz@x>"),
        ];
        Assert.Equal("2 1", Sorted("(DISPLAYFROM)", [.. messages]));
        Assert.Equal("2 1", Sorted("(DISPLAYTO)", [.. messages]));
    }

    [Fact]
    public void SizeSortAndReverseAndTiesInMailboxOrder()
    {
        SortableMessage[] messages = [Message(1, "Subject: a", 300), Message(2, "Subject: b", 100), Message(3, "Subject: c", 300)];
        Assert.Equal("2 1 3", Sorted("(SIZE)", [.. messages]));
        Assert.Equal("1 3 2", Sorted("(REVERSE SIZE)", [.. messages]));
        Assert.Equal("3 1 2", Sorted("(REVERSE SIZE REVERSE SUBJECT)", [.. messages]));
    }

    [Theory]
    [InlineData("()")]
    [InlineData("(REVERSE)")]
    [InlineData("(REVERSE REVERSE DATE)")]
    [InlineData("(DATE NOSUCHKEY)")]
    [InlineData("DATE")]
    public void MalformedCriteriaAreRejected(string criteria)
    {
        Assert.Throws<ImapParseException>(() => SortRequest.Parse(ProtocolWire.Reader(criteria + " UTF-8 ALL"), 64, 1000));
    }

    [Fact]
    public void OnlyUsAsciiAndUtf8AreAccepted()
    {
        Assert.NotNull(SortRequest.Parse(ProtocolWire.Reader("(DATE) us-ascii ALL"), 64, 1000));
        Assert.Throws<UnsupportedCharsetException>(() => SortRequest.Parse(ProtocolWire.Reader("(DATE) ISO-8859-1 ALL"), 64, 1000));
    }

    [Fact]
    public void ReturnOptionsAndSearchKeysAreParsed()
    {
        SortRequest request = SortRequest.Parse(ProtocolWire.Reader("RETURN (min COUNT) (REVERSE ARRIVAL) UTF-8 SEEN FROM \"x\""), 64, 1000);
        Assert.Equal(["MIN", "COUNT"], request.ReturnOptions);
        Assert.True(request.ReturnSpecified);
        Assert.Equal([new SortCriterion(SortKeyKind.Arrival, true)], request.Criteria);
        Assert.IsType<SearchKey.And>(request.Key);
        Assert.Equal(["ALL"], SortRequest.Parse(ProtocolWire.Reader("RETURN () (DATE) UTF-8 ALL"), 64, 1000).ReturnOptions);
    }

    [Fact]
    public void SortKeysAreBoundedBySearchLimits()
    {
        Assert.Throws<ImapLimitException>(() => SortRequest.Parse(ProtocolWire.Reader("(DATE) UTF-8 SEEN SEEN SEEN"), 64, 2));
    }
}
