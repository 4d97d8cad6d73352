using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Imap.Protocol;

/// <summary>
/// A large APPEND literal kept in a temporary file instead of the command buffer, so a session holds at most
/// <see cref="WriteBufferSize"/> bytes of it in memory whatever its size. The file lives under the mail store (same
/// file system as the Maildir it is saved into) and never outlives this object: on Unix it is unlinked as soon as it
/// is opened (nothing is left behind even by a crash), elsewhere it is opened delete-on-close. When the file cannot
/// be created or written, the rest of the data is still consumed (the client is sending it and the command must be
/// answered) but dropped, and <see cref="OpenRead"/> reports the failure.
/// </summary>
internal sealed class SpooledLiteral : IDisposable
{
    /// <summary>
    /// APPEND literals above this size are spooled to a file. 256 KiB: most messages (text mail, small attachments)
    /// stay in memory and are saved without an extra copy, while N concurrent large APPENDs cost N × this at most.
    /// </summary>
    public const int Threshold = 256 * 1024;

    // Bytes gathered before each write to the file: the pipe hands over small segments, one syscall each would be slow.
    private const int WriteBufferSize = 64 * 1024;

    private readonly string _directory;
    private SafeFileHandle? _handle;
    private byte[]? _buffer;
    private int _buffered;
    private long _written;
    private bool _complete;
    private IOException? _failure;

    private SpooledLiteral(string directory, SafeFileHandle? handle, IOException? failure)
    {
        _directory = directory;
        _handle = handle;
        _failure = failure;
    }

    /// <summary>Bytes received so far (kept or dropped).</summary>
    public long Length { get; private set; }

    /// <summary>Whether a NUL byte was received (allowed only in a literal8, RFC 3516 §4.2).</summary>
    public bool ContainsNul { get; private set; }

    /// <summary>Starts a spool file in <paramref name="directory"/> (created when missing).</summary>
    public static SpooledLiteral Create(string directory)
    {
        string path = Path.Combine(directory, "mailroom-append-" + Guid.NewGuid().ToString("N"));
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
            if (!OperatingSystem.IsWindows())
            {
                try
                {
                    File.Delete(path);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }

            return new SpooledLiteral(directory, handle, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new SpooledLiteral(directory, null, new IOException("Cannot create a spool file in " + directory + ".", ex));
        }
    }

    public async ValueTask WriteAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            ReadOnlySpan<byte> span = segment.Span;
            Length += span.Length;
            ContainsNul |= span.Contains((byte)0);
            if (_handle is null)
            {
                continue;
            }

            _buffer ??= ArrayPool<byte>.Shared.Rent(WriteBufferSize);
            ReadOnlyMemory<byte> rest = segment;
            while (!rest.IsEmpty)
            {
                int take = Math.Min(rest.Length, WriteBufferSize - _buffered);
                rest.Span[..take].CopyTo(_buffer.AsSpan(_buffered));
                _buffered += take;
                rest = rest[take..];
                if (_buffered == WriteBufferSize)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (_handle is null)
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Writes what is still buffered; called once the whole literal was received.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_handle is not null && _buffered > 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        ReturnBuffer();
        _complete = true;
    }

    /// <summary>A read-only stream of the data (the caller disposes it; the file stays until this object is disposed).</summary>
    /// <exception cref="IOException">The data was not kept (see <see cref="SpooledLiteral"/>).</exception>
    public Stream OpenRead()
    {
        if (_handle is null)
        {
            throw new IOException(_failure!.Message, _failure);
        }

        if (!_complete)
        {
            throw new InvalidOperationException("The literal is still being received.");
        }

        return new SpooledLiteralStream(_handle, _written);
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
        _failure ??= new IOException("The literal was released.");
        ReturnBuffer();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(_handle!, _buffer.AsMemory(0, _buffered), _written, cancellationToken).ConfigureAwait(false);
            _written += _buffered;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Disk full or gone: keep consuming the literal so the command can be answered NO rather than the session dropped.
            _failure = new IOException("Cannot write a spool file in " + _directory + ".", ex);
            _handle!.Dispose();
            _handle = null;
        }

        _buffered = 0;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _buffered = 0;
        }
    }
}
