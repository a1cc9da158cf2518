using Bridge.Emulator.Nova;
using Bridge.Tests.Support;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.EndToEnd;

/// <summary>One call of <see cref="HttpToolsRig"/>: its caller's keypad and voice, what it heard, and what the model received.</summary>
public sealed class ToolsCall : IAsyncDisposable, IHeardAudioSink
{
    private readonly CancellationTokenSource _hangUp = new();
    private readonly CallerKeypad _keypad = new();
    private readonly LiveCaller _voice;
    private long _heardFrames;
    private Task<MediaStreamResult> _running = null!;

    private ToolsCall(string callSid, TimeSpan length)
    {
        CallSid = callSid;
        _voice = new LiveCaller(length);
    }

    public string CallSid { get; }

    /// <summary>What this call's model stream received.</summary>
    public ReceivedPrompt Prompt { get; internal set; } = null!;

    internal static async Task<ToolsCall> StartAsync(DirectStream streams, TimeSpan maxDuration)
    {
        var start = streams.NewStart();
        var socket = await streams.ConnectAsync(CancellationToken.None);
        var call = new ToolsCall(start.CallSid, maxDuration);
        var session = new MediaStreamSession(socket, start, new MediaStreamOptions
        {
            Audio = call._voice,
            Keypad = call._keypad,
            Listener = call,
            MaxDuration = maxDuration,
            RecordHeardAudio = false,
        }, TimeProvider.System, NullLogger.Instance);
        call._running = RunAsync(session, socket, call._hangUp.Token);
        return call;
    }

    public void Press(char key) => Assert.True(_keypad.Press(key));

    /// <summary>The caller speaks (a tone) for <paramref name="duration"/> from the next frame on.</summary>
    public void Speaks(TimeSpan duration) => _voice.Speaks(duration);

    /// <summary>Frames the caller has heard with audio from the bridge in them.</summary>
    public long HeardFrames => Interlocked.Read(ref _heardFrames);

    void IHeardAudioSink.Played(long tick, ReadOnlySpan<byte> frame, int playedBytes)
    {
        if (playedBytes > 0)
        {
            Interlocked.Increment(ref _heardFrames);
        }
    }

    /// <summary>The <paramref name="count"/>th tool result the model received, once it has.</summary>
    public async Task<ReceivedToolResult> ResultAsync(int count)
    {
        await HttpToolsRig.WaitForAsync(() => Prompt.ToolResults.Count >= count, $"tool result {count} reaching the model");
        return Prompt.ToolResults[count - 1];
    }

    public async ValueTask DisposeAsync()
    {
        await _hangUp.CancelAsync();
        await _running.WaitAsync(HttpToolsRig.Patience);
        _hangUp.Dispose();
    }

    private static async Task<MediaStreamResult> RunAsync(
        MediaStreamSession session, System.Net.WebSockets.ClientWebSocket socket, CancellationToken hangUp)
    {
        using (socket)
        {
            return await session.RunAsync(hangUp);
        }
    }
}
