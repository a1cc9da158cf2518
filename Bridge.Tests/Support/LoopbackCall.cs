using System.Net.WebSockets;
using Bridge.CallSimulator.Load;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Support;

/// <summary>
/// A well-behaved call against a worker whose model is the emulator in loopback: Twilio's side streams numbered
/// caller frames (<see cref="TaggedCallerAudio"/>) in real time and plays what comes back, so every frame's return
/// is checked (<see cref="Frames"/>) and so is the longest silence between two pieces of returned audio.
/// </summary>
public sealed class LoopbackCall : IMediaStreamObserver
{
    /// <summary>Frames sent this close to the end of the call may still be on their way back.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private long _firstSentAt;
    private long _lastMediaAt;
    private long _firstMediaAt;
    private TimeSpan _longestSilence;

    private LoopbackCall(ClientWebSocket socket, StreamStart start)
    {
        Socket = socket;
        Start = start;
        Frames = new LoopbackFrameMatcher(TimeProvider.System, new LatencyHistogram(), TimeSpan.FromMilliseconds(500));
    }

    public ClientWebSocket Socket { get; }

    public StreamStart Start { get; }

    public LoopbackFrameMatcher Frames { get; }

    /// <summary>The call's outcome as the caller saw it; completes when the stream has ended.</summary>
    public Task<MediaStreamResult> Result { get; private set; } = null!;

    /// <summary>When the first returned audio arrived (a TimeProvider.System timestamp), or 0.</summary>
    public long FirstMediaAt
    {
        get
        {
            lock (_gate)
            {
                return _firstMediaAt;
            }
        }
    }

    /// <summary>Completes when the first audio has come back (or the call ended without any).</summary>
    public async Task FirstAudioAsync(CancellationToken cancellationToken)
    {
        while (FirstMediaAt == 0 && !Result.IsCompleted)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Frames lost among those sent in the first <paramref name="span"/> of the call.</summary>
    public long LostInFirst(TimeSpan span)
    {
        long first;
        lock (_gate)
        {
            first = _firstSentAt;
        }
        return Frames.LostBefore(first + (long)(span.TotalSeconds * TimeProvider.System.TimestampFrequency));
    }

    /// <summary>The longest time between two media messages from the worker.</summary>
    public TimeSpan LongestSilence
    {
        get
        {
            lock (_gate)
            {
                return _longestSilence;
            }
        }
    }

    /// <summary>Frames that had time to come back (sent before the last <see cref="Grace"/>) and did not.</summary>
    public long Lost => Frames.LostBefore(Frames.LastSentAt - (long)(Grace.TotalSeconds * TimeProvider.System.TimestampFrequency));

    /// <summary>
    /// Connects and starts streaming (a new call, or <paramref name="start"/>'s); the caller hangs up after
    /// <paramref name="length"/> or when <paramref name="hangUp"/> fires.
    /// </summary>
    public static async Task<LoopbackCall> StartAsync(DirectStream streams, TimeSpan length, CancellationToken hangUp, CancellationToken cancellationToken, StreamStart? start = null)
    {
        var socket = await streams.ConnectAsync(cancellationToken);
        var call = new LoopbackCall(socket, start ?? streams.NewStart());
        var session = new MediaStreamSession(socket, call.Start, new MediaStreamOptions
        {
            Audio = new TaggedCallerAudio(length),
            MaxDuration = length,
            RecordHeardAudio = false,
        }, TimeProvider.System, NullLogger.Instance, call);
        call.Result = RunAndReleaseAsync(session, socket, hangUp);
        return call;
    }

    private static async Task<MediaStreamResult> RunAndReleaseAsync(MediaStreamSession session, ClientWebSocket socket, CancellationToken hangUp)
    {
        using (socket)
        {
            return await session.RunAsync(hangUp);
        }
    }

    /// <summary>
    /// Of the frames sent between two points of the call (fractions of its sending time, the grace period excluded),
    /// the share that came back: did the audio keep flowing after a fault?
    /// </summary>
    public double ReturnedShareBetween(double from, double to)
    {
        long first;
        lock (_gate)
        {
            first = _firstSentAt;
        }
        var last = Frames.LastSentAt - (long)(Grace.TotalSeconds * TimeProvider.System.TimestampFrequency);
        var start = first + (long)((last - first) * from);
        var end = first + (long)((last - first) * to);
        var sent = Frames.SentBefore(end) - Frames.SentBefore(start);
        var lost = Frames.LostBefore(end) - Frames.LostBefore(start);
        return sent <= 0 ? 0 : (double)(sent - lost) / sent;
    }

    void IMediaStreamObserver.CallerFrameSent(long chunk, long timestamp)
    {
        Frames.CallerFrameSent(chunk, timestamp);
        lock (_gate)
        {
            _firstSentAt = _firstSentAt == 0 ? timestamp : _firstSentAt;
        }
    }

    void IMediaStreamObserver.ServerMessageHandled(ServerMessageKind kind, ReadOnlySpan<byte> payload, long timestamp)
    {
        Frames.ServerMessageHandled(kind, payload, timestamp);
        if (kind != ServerMessageKind.Media)
        {
            return;
        }
        lock (_gate)
        {
            if (_lastMediaAt != 0)
            {
                var silence = TimeProvider.System.GetElapsedTime(_lastMediaAt, timestamp);
                _longestSilence = silence > _longestSilence ? silence : _longestSilence;
            }
            else
            {
                _firstMediaAt = timestamp;
            }
            _lastMediaAt = timestamp;
        }
    }
}
