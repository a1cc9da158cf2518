using Bridge.Audio;
using Bridge.TwilioStandIn.Media;
using Bridge.Emulator;
using Bridge.MediaWorker.Calls;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;
using Microsoft.Extensions.Hosting;
using Bridge.Tests.NovaSonic;
using Bridge.Tests.Support;
using Bridge.Tests.Tools.TwilioStandIn;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// One <see cref="BridgedCall"/> with real parts around it and no network: the call simulator plays Twilio (playback
/// clock, marks, clear) over an in-memory WebSocket, and the session talks to the in-process Nova emulator.
/// </summary>
internal static class CallRig
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Outcome(
        CallEndReason EndReason,
        MediaStreamResult Caller,
        StructuredLogRecorder.Entry Summary,
        StructuredLogRecorder Log,
        MetricRecorder Metrics,
        IReadOnlyList<NovaTurn> History);

    public static async Task<Outcome> RunAsync(
        EmulatorOptions model, MediaStreamOptions caller, Action<EmulatorServer>? beforeTheCall = null, CallOptions? options = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var emulator = await EmulatorServer.StartAsync(model);
        beforeTheCall?.Invoke(emulator);
        var session = await EmulatedNova.Factory(emulator).OpenAsync(EmulatedNova.Setup(), timeout.Token);

        using var sockets = new InMemoryWebSocketPair();
        var start = new StreamStart("AC0123456789abcdef0123456789abcdef", "CA" + Guid.NewGuid().ToString("N"), "MZ" + Guid.NewGuid().ToString("N"), []);
        var twilio = new MediaStreamSession(sockets.Client, start, caller, TimeProvider.System, NullLogger.Instance);
        var callerRun = twilio.RunAsync(timeout.Token);

        var metrics = new MetricRecorder();
        var log = new StructuredLogRecorder();
        await using var stream = new TwilioMediaStream(sockets.Server, new TwilioStreamOptions(), TimeProvider.System);
        var startInfo = (await stream.ReadStartAsync(CancellationToken.None, timeout.Token))!;
        var registry = new CallRegistry(Options.Create(new CallOptions()), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        var callOptions = options ?? new CallOptions();
        var call = new BridgedCall(
            stream, startInfo, session, [],
            new AudioOptions { ModelInputRate = EmulatedNova.InputRate, ModelOutputRate = 16_000 },
            callOptions, new CallLimits(callOptions, TimeProvider.System.GetTimestamp(), TimeProvider.System, hangUp: null, log),
            new CallTelemetry(metrics.Factory, registry), TimeProvider.System, log);

        var reason = await call.RunAsync(CancellationToken.None, timeout.Token);
        await stream.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var heard = await callerRun;
        return new Outcome(reason, heard, log.Single("CallSummary"), log, metrics, session.History.Turns);
    }

    /// <summary>A 440 Hz tone, loud enough to be speech, as 8 kHz µ-law.</summary>
    public static byte[] Speech(TimeSpan duration)
    {
        var pcm = new short[(int)(8000 * duration.TotalSeconds)];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000));
        }
        var mulaw = new byte[pcm.Length];
        MuLaw.Encode(pcm, mulaw);
        return mulaw;
    }

    public static long Number(this StructuredLogRecorder.Entry entry, string name) => Convert.ToInt64(entry.Values[name]);

    public static double Real(this StructuredLogRecorder.Entry entry, string name) => Convert.ToDouble(entry.Values[name]);
}
