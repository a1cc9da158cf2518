using Bridge.Audio;
using Bridge.Emulator;
using Bridge.MediaWorker.Calls;
using Bridge.NovaSonic;
using Bridge.Tests.NovaSonic;
using Bridge.Tests.Support;
using Bridge.TwilioMedia;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

/// <summary>
/// One <see cref="BridgedCall"/> with real parts around it, in real time: the call simulator plays Twilio (playback
/// clock, marks, clear) over an in-memory WebSocket into the real <see cref="TwilioMediaStream"/>, and the session talks
/// to the in-process Nova emulator over HTTP/2. The call's behaviour is tested on fake time (<c>Fakes/FakeCall</c>);
/// this rig checks that the real parts fit, with counts, never timing windows.
/// </summary>
internal static class CallRig
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Outcome(CallEndReason EndReason, MediaStreamResult Caller, FakeLogRecord Summary, FakeLogCollector Log);

    /// <summary>A meter factory of a test's own, so that its collectors see this call's measurements only.</summary>
    public static ServiceProvider NewMeters() => new ServiceCollection().AddMetrics().BuildServiceProvider();

    public static async Task<Outcome> RunAsync(EmulatorOptions model, MediaStreamOptions caller, IServiceProvider meters,
        Action<EmulatorServer>? beforeTheCall = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var emulator = await EmulatorServer.StartAsync(model);
        beforeTheCall?.Invoke(emulator);
        var session = await EmulatedNova.Factory(emulator).OpenAsync(EmulatedNova.Setup(), timeout.Token);

        using var sockets = new InMemoryWebSocketPair();
        var start = new StreamStart("AC0123456789abcdef0123456789abcdef", "CA" + Guid.NewGuid().ToString("N"), "MZ" + Guid.NewGuid().ToString("N"), []);
        var twilio = new MediaStreamSession(sockets.Client, start, caller, TimeProvider.System, NullLogger.Instance);
        var callerRun = twilio.RunAsync(timeout.Token);

        var log = new FakeLogger();
        await using var stream = new TwilioMediaStream(sockets.Server, new TwilioStreamOptions(), TimeProvider.System);
        var startInfo = (await stream.ReadStartAsync(CancellationToken.None, timeout.Token))!;
        var options = new CallOptions();
        var registry = new CallRegistry(Options.Create(options), new ReadinessState(), NullLogger<CallRegistry>.Instance);
        var call = new BridgedCall(
            stream, startInfo, session, [],
            new AudioOptions { ModelInputRate = EmulatedNova.InputRate, ModelOutputRate = 16_000 },
            options, new CallLimits(options, TimeProvider.System.GetTimestamp(), TimeProvider.System, hangUp: null, log),
            new CallTelemetry(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), registry), TimeProvider.System, log);

        var reason = await call.RunAsync(CancellationToken.None, timeout.Token);
        var heard = await callerRun;
        var summary = Assert.Single(log.Collector.GetSnapshot(), r => r.Id.Name == "CallSummary");
        return new Outcome(reason, heard, summary, log.Collector);
    }

    /// <summary>A 440 Hz tone, loud enough to be speech, as 8 kHz µ-law.</summary>
    public static byte[] Speech(TimeSpan duration) => Tone.Speech(duration);

    public static long Number(this FakeLogRecord entry, string name) => long.Parse(entry.GetStructuredStateValue(name)!, System.Globalization.CultureInfo.InvariantCulture);

    public static double Real(this FakeLogRecord entry, string name) => double.Parse(entry.GetStructuredStateValue(name)!, System.Globalization.CultureInfo.InvariantCulture);
}
