using Mailroom.IO;
using Mailroom.Store.Mailboxes;
using Microsoft.Win32.SafeHandles;

namespace Mailroom.Store.Maildir;

/// <summary>
/// A removed message file kept open (its name is gone; the kernel keeps the data while a handle is open, and frees it
/// when the process ends). Streams opened from it share the handle, each with its own position; the handle is closed
/// when the hold is released and the last stream disposed.
/// </summary>
internal sealed class HeldMessageFile : HeldContent
{
    private readonly Lock _gate = new();
    private readonly SafeFileHandle _handle;
    private readonly long _length;

    // The hold counts as one user of the handle, each open stream as another.
    private int _users = 1;

    private HeldMessageFile(SafeFileHandle handle)
    {
        _handle = handle;
        _length = RandomAccess.GetLength(handle);
    }

    /// <summary>Opens the file at <paramref name="path"/> to hold it; null when it is already gone.</summary>
    public static HeldMessageFile? TryOpen(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = RegularFile.OpenRead(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return new HeldMessageFile(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public override Stream Open()
    {
        lock (_gate)
        {
            if (_users == 0)
            {
                throw new MessageGoneException("The held message was released.");
            }

            _users++;
        }

        return new HeldMessageStream(this);
    }

    public override void Release() => Leave();

    private void Leave()
    {
        lock (_gate)
        {
            if (--_users > 0)
            {
                return;
            }
        }

        _handle.Dispose();
    }

    /// <summary>A read-only view of the held file with its own position.</summary>
    private sealed class HeldMessageStream(HeldMessageFile file) : Stream
    {
        private long _position;
        private int _disposed;

        public override bool CanRead => Volatile.Read(ref _disposed) == 0;

        public override bool CanSeek => Volatile.Read(ref _disposed) == 0;

        public override bool CanWrite => false;

        public override long Length => file._length;

        public override long Position
        {
            get => _position;
            set
            {
                ArgumentOutOfRangeException.ThrowIfNegative(value);
                _position = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_position >= file._length)
            {
                return 0;
            }

            int read = RandomAccess.Read(file._handle, buffer, _position);
            _position += read;
            return read;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin)
        {
            long target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => file._length + offset,
            };
            Position = target;
            return target;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                file.Leave();
            }

            base.Dispose(disposing);
        }
    }
}
