using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Bridge.Buffers;
using Bridge.TwilioMedia;

namespace Bridge.Benchmarks.Calls;

/// <summary>
/// What the worker does each time it sends the caller 40 ms of model audio: a <c>media</c> frame and its <c>mark</c>
/// through the server WebSocket, as two writes to the connection or held and written as one
/// (<see cref="CoalescingStream"/>). The connection here only counts its writes, so this is the CPU and allocation
/// of the framing and the holding; what one write instead of two saves in system calls and wake-ups shows under load
/// (docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class TwilioSendBenchmarks
{
    private readonly CountingStream _wire = new();
    private WebSocket _plain = null!;
    private CoalescingStream _connection = null!;
    private WebSocket _coalesced = null!;
    private ReadOnlyMemory<byte> _media;
    private ReadOnlyMemory<byte> _mark;

    [GlobalSetup]
    public void Setup()
    {
        _plain = WebSocket.CreateFromStream(_wire, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        _connection = new CoalescingStream(_wire);
        _coalesced = WebSocket.CreateFromStream(_connection, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        var media = new TwilioFrameWriter("MZ00000000000000000000000000000001");
        _media = media.Media(new byte[2 * TwilioMediaStream.FrameBytes]).ToArray();
        var mark = new TwilioFrameWriter("MZ00000000000000000000000000000001");
        _mark = mark.Mark(new PlaybackMark(1, 1234)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _coalesced.Dispose();
    }

    /// <summary>Media and mark, each its own write (one system call each on a real connection).</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> MediaAndMark_TwoWrites()
    {
        await _plain.SendAsync(_media, WebSocketMessageType.Text, true, CancellationToken.None);
        await _plain.SendAsync(_mark, WebSocketMessageType.Text, true, CancellationToken.None);
        return _wire.Writes;
    }

    /// <summary>Media and mark held and written together (one system call on a real connection).</summary>
    [Benchmark]
    public async Task<long> MediaAndMark_OneWrite()
    {
        _connection.Hold();
        await _coalesced.SendAsync(_media, WebSocketMessageType.Text, true, CancellationToken.None);
        await _coalesced.SendAsync(_mark, WebSocketMessageType.Text, true, CancellationToken.None);
        await _connection.ReleaseAsync();
        return _wire.Writes;
    }

    /// <summary>A connection that takes every write at once and counts it (and is never read: nothing receives here).</summary>
    private sealed class CountingStream : Stream
    {
        public long Writes { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => Writes++;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
