using System.Buffers;
using System.Text;
using Mailroom.Imap.Protocol;

namespace Mailroom.Imap.Tests.Protocol;

public sealed class SpooledLiteralTests : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("mailroom-spool-");

    public void Dispose() => _root.Delete(recursive: true);

    private static byte[] Data(int size)
    {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = (byte)(1 + (i % 250));
        }

        return data;
    }

    /// <summary>Assembles "A1 APPEND &lt;mailbox&gt; {n}" + spooled data + "" as the session does, in small pieces.</summary>
    private ImapCommandBuffer SpooledCommand(string prefix, byte[] data, SpooledLiteral spool, string rest = "")
    {
        var buffer = new ImapCommandBuffer();
        buffer.AppendLine(Encoding.ASCII.GetBytes(prefix + "{" + data.Length + "}"));
        buffer.AppendSpooledLiteral(spool);
        for (int offset = 0; offset < data.Length; offset += 4000)
        {
            spool.WriteAsync(new ReadOnlySequence<byte>(data, offset, Math.Min(4000, data.Length - offset)), TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
        }

        spool.CompleteAsync(TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
        buffer.AppendLine(Encoding.ASCII.GetBytes(rest));
        return buffer;
    }

    private static ImapArgumentReader AtMessage(ImapCommandBuffer buffer)
    {
        var reader = new ImapArgumentReader(buffer);
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        reader.ReadSpace();
        reader.ReadMailboxName(utf8Enabled: false);
        reader.ReadSpace();
        return reader;
    }

    [Fact]
    public void SpooledMessageIsReadBackWhileTheBufferHoldsOnlyTheCommandText()
    {
        byte[] data = Data(SpooledLiteral.Threshold * 3 + 123);
        ImapCommandBuffer buffer = SpooledCommand("A1 APPEND INBOX ", data, SpooledLiteral.Create(_root.FullName));
        Assert.True(buffer.MemoryLength < 100);
        Assert.Equal(buffer.MemoryLength + data.Length, buffer.Length);

        ImapArgumentReader reader = AtMessage(buffer);
        using (Stream message = reader.ReadMessage(out bool binary))
        {
            Assert.False(binary);
            Assert.Equal(data.Length, message.Length);
            var copy = new MemoryStream();
            message.CopyTo(copy);
            Assert.Equal(data, copy.ToArray());
        }

        reader.ReadEnd();
        buffer.Reset();
        Assert.Empty(_root.GetFileSystemInfos());
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void SpooledLiteralIsNeverAnAStringAndMustNotHideANul()
    {
        byte[] data = Data(SpooledLiteral.Threshold + 1);
        ImapCommandBuffer name = SpooledCommand("A1 APPEND ", data, SpooledLiteral.Create(_root.FullName), " {1}");
        var reader = new ImapArgumentReader(name);
        reader.ReadTag();
        reader.ReadSpace();
        reader.ReadAtom();
        reader.ReadSpace();
        Assert.Throws<ImapParseException>(() => reader.ReadMailboxName(utf8Enabled: false));
        name.Reset();

        data[1000] = 0;
        ImapCommandBuffer text = SpooledCommand("A1 APPEND INBOX ", data, SpooledLiteral.Create(_root.FullName));
        Assert.Throws<ImapParseException>(() => AtMessage(text).ReadMessage(out _));
        text.Reset();

        ImapCommandBuffer binary = SpooledCommand("A1 APPEND INBOX ~", data, SpooledLiteral.Create(_root.FullName));
        using (Stream message = AtMessage(binary).ReadMessage(out bool isBinary))
        {
            Assert.True(isBinary);
            Assert.Equal(data.Length, message.Length);
        }

        binary.Reset();
    }

    [Fact]
    public void UnwritableSpoolStillConsumesTheLiteralAndReportsAnIOError()
    {
        string notADirectory = Path.Combine(_root.FullName, "file");
        File.WriteAllText(notADirectory, "x");
        byte[] data = Data(SpooledLiteral.Threshold + 1);
        ImapCommandBuffer failed = SpooledCommand("A1 APPEND INBOX ", data, SpooledLiteral.Create(Path.Combine(notADirectory, "tmp")));
        Assert.Equal(failed.MemoryLength + data.Length, failed.Length);
        Assert.Throws<IOException>(() => AtMessage(failed).ReadMessage(out _));
        failed.Reset();
    }
}
