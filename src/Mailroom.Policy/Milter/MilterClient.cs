using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Mailroom.Policy.Milter;

/// <summary>
/// One milter's conversation for one SMTP session, MTA side (Postfix's milter8.c as the model): negotiate, then each
/// event when it happens (connect, HELO, MAIL, RCPT), the message at its end (DATA, the header fields, end of header,
/// the body in chunks of at most 64 KiB and the end of message), ABORT between messages and QUIT at the end; each
/// step preceded by its macros. Steps the milter declined are not sent, and steps it will not answer are not waited
/// for. Every wait has its deadline, disarmed between steps; every reply is bounded in size and the modifications in number.
/// </summary>
internal sealed partial class MilterClient : IAsyncDisposable
{
    private readonly MilterSettings _settings;
    private readonly MilterEndpoint _endpoint;
    private readonly MilterLimits _limits;
    private readonly MilterPacketWriter _writer = new();
    private readonly CancellationTokenSource _deadline;
    private Socket? _socket;
    private NetworkStream? _stream;
    private PipeReader? _input;
    private MilterActions _actions;
    private MilterSteps _steps;
    private readonly Dictionary<MilterStage, string[]> _macroLists = [];

    /// <param name="cancellationToken">The SMTP session's: ends every wait when the session ends.</param>
    public MilterClient(MilterSettings settings, MilterEndpoint endpoint, MilterLimits limits, CancellationToken cancellationToken)
    {
        _settings = settings;
        _endpoint = endpoint;
        _limits = limits;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public string Name => _endpoint.ToString();

    /// <summary>True when the last failure was this milter's deadline, not the caller's cancellation.</summary>
    public bool TimedOut => _deadline.IsCancellationRequested;

    /// <summary>Connects, negotiates and sends the connect event; null when it is not answered.</summary>
    public async ValueTask<MilterReply?> ConnectAsync(MilterMessage facts)
    {
        await OpenAsync().ConfigureAwait(false);
        return await EventAsync(MilterStage.Connect, new MilterMacros(facts), MilterSteps.NoConnect, MilterSteps.NoReplyConnect, MilterProtocol.Connect,
            w => WriteConnect(w, facts)).ConfigureAwait(false);
    }

    public ValueTask<MilterReply?> HeloAsync(MilterMessage facts) =>
        EventAsync(MilterStage.Helo, new MilterMacros(facts), MilterSteps.NoHelo, MilterSteps.NoReplyHelo, MilterProtocol.Helo, w => w.String(facts.Helo));

    public ValueTask<MilterReply?> MailAsync(MilterMessage facts) =>
        EventAsync(MilterStage.Mail, new MilterMacros(facts), MilterSteps.NoMail, MilterSteps.NoReplyMail, MilterProtocol.Mail, w => w.String($"<{facts.Sender}>"));

    /// <summary>SMFIC_DATA, sent when the client sends DATA (or its first BDAT), before the 354 (Postfix's milter_data_event).</summary>
    public ValueTask<MilterReply?> DataAsync(MilterMessage facts) =>
        EventAsync(MilterStage.Data, new MilterMacros(facts), MilterSteps.NoData, MilterSteps.NoReplyData, MilterProtocol.Data, _ => { });

    public ValueTask<MilterReply?> RecipientAsync(MilterMessage facts, string recipient) =>
        EventAsync(MilterStage.Recipient, new MilterMacros(facts) { Recipient = recipient }, MilterSteps.NoRecipient, MilterSteps.NoReplyRecipient, MilterProtocol.Recipient,
            w => w.String($"<{recipient}>"));

    /// <summary>SMFIC_ABORT: the message is over (sent, refused or reset); the milter gets ready for the next MAIL.</summary>
    public async ValueTask AbortAsync()
    {
        _deadline.CancelAfter(_settings.CommandTimeout);
        await SendAsync(_writer.Begin(MilterProtocol.Abort).Finish()).ConfigureAwait(false);
        Disarm();
    }

    private async ValueTask OpenAsync()
    {
        _deadline.CancelAfter(_settings.ConnectTimeout);
        _socket = await _endpoint.ConnectAsync(_deadline.Token).ConfigureAwait(false);
        _stream = new NetworkStream(_socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));

        // Offer version 6, every action and every step option this client implements; the milter answers with what it wants.
        await SendAsync(_writer.Begin(MilterProtocol.OptionNegotiation).UInt32(MilterProtocol.Version).UInt32((uint)MilterActions.All).UInt32((uint)MilterSteps.Offered).Finish()).ConfigureAwait(false);
        MilterPacket reply = await ReadPacketAsync().ConfigureAwait(false);
        if (reply.Code != MilterProtocol.OptionNegotiation)
        {
            throw new MilterProtocolException($"milter answered option negotiation with '{(char)reply.Code}'");
        }

        var fields = new MilterFields(reply.Data);
        uint version = fields.UInt32();
        if (version is < 2 or > MilterProtocol.Version)
        {
            throw new MilterProtocolException($"milter speaks protocol version {version}");
        }

        // What the milter asks beyond the offer is not granted: its requests for it are refused later as protocol errors.
        _actions = (MilterActions)fields.UInt32() & MilterActions.All;
        _steps = (MilterSteps)fields.UInt32() & MilterSteps.Offered;
        while (!fields.AtEnd)
        {
            uint stage = fields.UInt32();
            string names = fields.String();
            if (stage <= (uint)MilterStage.EndOfHeaders)
            {
                _macroLists[(MilterStage)stage] = names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    private static void WriteConnect(MilterPacketWriter writer, MilterMessage message)
    {
        var address = message.Client.Address.IsIPv4MappedToIPv6 ? message.Client.Address.MapToIPv4() : message.Client.Address;
        writer.String(message.ClientName == "unknown" ? $"[{address}]" : message.ClientName)
            .Byte(address.AddressFamily == AddressFamily.InterNetworkV6 ? MilterProtocol.FamilyInet6 : MilterProtocol.FamilyInet)
            .UInt16((ushort)message.Client.Port)
            .String(address.ToString());
    }

    /// <summary>One envelope event under the command deadline, disarmed afterwards (the session may idle between events).</summary>
    private async ValueTask<MilterReply?> EventAsync(MilterStage stage, MilterMacros macros, MilterSteps skipFlag, MilterSteps noReplyFlag, byte command,
        Action<MilterPacketWriter> write)
    {
        MilterReply? reply = await ExchangeAsync(stage, macros, skipFlag, noReplyFlag, command, write, _settings.CommandTimeout).ConfigureAwait(false);
        Disarm();
        return reply;
    }

    /// <summary>No deadline runs between steps; one that already passed stays passed (the milter is then done).</summary>
    private void Disarm()
    {
        if (!_deadline.IsCancellationRequested)
        {
            _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Sends the macros and the command, and reads the reply when one is due; null when nothing was asked or answered.</summary>
    private async ValueTask<MilterReply?> ExchangeAsync(MilterStage? stage, MilterMacros macros, MilterSteps skipFlag, MilterSteps noReplyFlag, byte command,
        Action<MilterPacketWriter> write, TimeSpan timeout)
    {
        if (skipFlag != MilterSteps.None && (_steps & skipFlag) != 0)
        {
            return null;
        }

        _deadline.CancelAfter(timeout);
        if (stage is { } s)
        {
            await SendMacrosAsync(s, command, macros).ConfigureAwait(false);
        }

        write(_writer.Begin(command));
        await SendAsync(_writer.Finish()).ConfigureAwait(false);
        return (_steps & noReplyFlag) != 0 ? null : await ReadReplyAsync(timeout).ConfigureAwait(false);
    }

    private async ValueTask SendMacrosAsync(MilterStage stage, byte command, MilterMacros macros)
    {
        IEnumerable<(string Name, string Value)> values = macros.For(stage);
        if (_macroLists.TryGetValue(stage, out string[]? wanted))
        {
            values = wanted.Select(name => (name, macros.Lookup(name))).Where(p => p.Item2 is not null).Select(p => (p.name, p.Item2!));
        }

        _writer.Begin(MilterProtocol.Macro).Byte(command);
        bool any = false;
        foreach ((string name, string value) in values)
        {
            _writer.String(name).String(value);
            any = true;
        }

        if (any)
        {
            await SendAsync(_writer.Finish()).ConfigureAwait(false);
        }
    }

    private async ValueTask<MilterReply> ReadReplyAsync(TimeSpan timeout)
    {
        while (true)
        {
            MilterPacket packet = await ReadPacketAsync().ConfigureAwait(false);
            if (packet.Code == MilterProtocol.Progress)
            {
                _deadline.CancelAfter(timeout);
                continue;
            }

            return ToReply(packet);
        }
    }

    private static MilterReply ToReply(MilterPacket packet) => packet.Code switch
    {
        MilterProtocol.Continue or MilterProtocol.Accept or MilterProtocol.Reject or MilterProtocol.TempFail or MilterProtocol.Discard or MilterProtocol.Skip
            => new MilterReply(packet.Code),
        MilterProtocol.ReplyCode => MilterReply.FromReplyCode(new MilterFields(packet.Data).LastString()),
        MilterProtocol.Shutdown or MilterProtocol.ConnectionFailure => throw new MilterProtocolException("milter closed the conversation"),
        _ => throw new MilterProtocolException($"milter sent an unexpected reply '{(char)packet.Code}'"),
    };

    private async ValueTask<MilterPacket> ReadPacketAsync()
    {
        PipeReader input = _input!;
        while (true)
        {
            ReadResult result = await input.ReadAsync(_deadline.Token).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool found;
            MilterPacket packet;
            try
            {
                found = MilterPacketReader.TryRead(ref buffer, _limits.MaxPacketSize, out packet);
            }
            catch
            {
                input.AdvanceTo(buffer.Start);
                throw;
            }

            if (found)
            {
                input.AdvanceTo(buffer.Start);
                return packet;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new MilterProtocolException("milter closed the connection");
            }
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> packet) => _stream!.WriteAsync(packet, _deadline.Token);

    /// <summary>A body packet: the 5-byte head for <paramref name="data"/>, then the data as it is, without copying it.</summary>
    private async ValueTask SendBodyChunkAsync(ReadOnlyMemory<byte> data)
    {
        byte[] head = new byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length + 1);
        head[4] = MilterProtocol.Body;
        await _stream!.WriteAsync(head, _deadline.Token).ConfigureAwait(false);
        await _stream.WriteAsync(data, _deadline.Token).ConfigureAwait(false);
    }

    /// <summary>Says goodbye when the conversation went well enough to, then closes.</summary>
    public async ValueTask QuitAsync()
    {
        if (_stream is null || _deadline.IsCancellationRequested)
        {
            return;
        }

        try
        {
            _deadline.CancelAfter(_settings.CommandTimeout);
            await SendAsync(_writer.Begin(MilterProtocol.Quit).Finish()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_input is not null)
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }

        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        _socket?.Dispose();
        _deadline.Dispose();
    }

    internal static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timeout",
        SocketException s => s.SocketErrorCode.ToString(),
        _ => ex.Message,
    };
}
