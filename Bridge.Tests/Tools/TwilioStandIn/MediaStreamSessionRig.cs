using System.Net.WebSockets;
using System.Text.Json;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Tools.TwilioStandIn;

/// <summary>
/// A <see cref="MediaStreamSession"/> against a fake media server over an in-memory WebSocket, on a clock the test moves:
/// what the media stream tests share.
/// </summary>
public abstract class MediaStreamSessionRig : IDisposable
{
    protected static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    protected readonly FakeTimeProvider _time = new();
    private protected readonly InMemoryWebSocketPair _sockets = new();
    protected readonly CountingObserver _observer = new();
    protected readonly StreamStart _start = new(
        "AC0123456789abcdef0123456789abcdef", "CAfeedfacefeedfacefeedfacefeedface", "MZ0123456789abcdef0123456789abcdef",
        [new("token", "v1.123.abc"), new("from", "+14155550100")]);

    private protected FakeMediaServer _server = null!;
    protected Task<MediaStreamResult> _running = null!;
    protected MediaStreamOptions _options = new();

    protected async Task StartAsync(MediaStreamOptions options, CancellationToken hangUp = default)
    {
        _options = options;
        _server = new FakeMediaServer(_sockets.Server);
        var session = new MediaStreamSession(_sockets.Client, _start, options, _time, NullLogger.Instance, _observer);
        _running = session.RunAsync(hangUp);
        await session.Started.WaitAsync(TimeSpan.FromSeconds(10));
        await _server.WaitUntilAsync(s => s.StreamSid is not null, "the start message");
    }

    /// <summary>Advances the clock one frame at a time, letting the session's loop run between steps.</summary>
    protected async Task AdvanceAsync(TimeSpan by)
    {
        var target = _time.GetUtcNow() + by;
        while (_time.GetUtcNow() < target)
        {
            var step = target - _time.GetUtcNow() < Frame ? target - _time.GetUtcNow() : Frame;
            _time.Advance(step);
            await WaitForTicksAsync();
        }
    }

    /// <summary>Advances the clock 5 ms at a time with a real pause between steps, for when frames are not one per tick.</summary>
    protected async Task StepAsync(TimeSpan by)
    {
        var step = TimeSpan.FromMilliseconds(5);
        for (var done = TimeSpan.Zero; done < by; done += step)
        {
            _time.Advance(step);
            await Task.Delay(10);
        }
    }

    protected async Task WaitForTicksAsync()
    {
        // The session sends one media frame per tick: wait until every tick due so far has been processed.
        var due = (int)((_time.GetUtcNow() - _time.Start) / Frame * _options.Speed);
        await _server.WaitUntilAsync(s => s.Events("media").Count >= due || _running.IsCompleted, $"{due} media frames");
    }

    protected async Task<MediaStreamResult> EndAsync()
    {
        await _server.CloseAsync("test over");
        return await _running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        _sockets.Dispose();
        GC.SuppressFinalize(this);
    }

    protected sealed class ListeningEar : IHeardAudioSink
    {
        public List<(long Tick, int Played, byte[] Bytes)> Frames { get; } = [];

        public void Played(long tick, ReadOnlySpan<byte> frame, int playedBytes) => Frames.Add((tick, playedBytes, frame.ToArray()));
    }

    protected sealed class CountingObserver : IMediaStreamObserver
    {
        private int _handled;

        public void CallerFrameSent(long chunk, long timestamp)
        {
        }

        public void ServerMessageHandled(ServerMessageKind kind, ReadOnlySpan<byte> payload, long timestamp) =>
            Interlocked.Increment(ref _handled);

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _handled) < count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the session handled {_handled} of {count} server messages");
                }
                await Task.Delay(5);
            }
        }
    }
}
