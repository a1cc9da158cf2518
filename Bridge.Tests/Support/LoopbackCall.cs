using System.Diagnostics;
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
    /// Of the frames sent between two points of the call (times after its first frame), the share that came back: did
    /// the audio keep flowing after a fault?
    /// </summary>
    public double ReturnedShareOfSentBetween(TimeSpan from, TimeSpan to)
    {
        var (start, end) = (SentAtOffset(from), SentAtOffset(to));
        var sent = Frames.SentBefore(end) - Frames.SentBefore(start);
        var lost = Frames.LostBefore(end) - Frames.LostBefore(start);
        return sent <= 0 ? 0 : (double)(sent - lost) / sent;
    }

    /// <summary>The timestamp <paramref name="offset"/> after the call's first frame was sent.</summary>
    public long SentAtOffset(TimeSpan offset)
    {
        long first;
        lock (_gate)
        {
            first = _firstSentAt;
        }
        return first + (long)(offset.TotalSeconds * TimeProvider.System.TimestampFrequency);
    }

    /// <summary>
    /// Waits until the frames sent at or before <paramref name="cutoff"/> (a timestamp) have had their chance to come
    /// back: all of them have, or a frame sent after the cutoff has (the loopback returns audio in order), or the call
    /// has ended, or <paramref name="patience"/> has passed. What was sent is judged by whether it returns, not by how
    /// fast a busy machine returned it; the caller must go on talking past the cutoff.
    /// </summary>
    public async Task ReturnOfSentBeforeAsync(long cutoff, TimeSpan patience)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (Frames.LostBefore(cutoff) > 0 && Frames.LatestReturnedSentAt <= cutoff && !Result.IsCompleted && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
        }
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
