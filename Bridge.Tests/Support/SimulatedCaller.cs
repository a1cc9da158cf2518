using Bridge.CallSimulator.Audio;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.Support;

/// <summary>Places calls with the call simulator (which behaves like Twilio) and builds what the caller says.</summary>
public static class SimulatedCaller
{
    private const int SilenceByte = 0xFF;

    public static async Task<CallSummary> CallAsync(
        Uri webhookUrl, string authToken, MediaStreamOptions media, CancellationToken cancellationToken = default, string to = "+15005550006")
    {
        using var http = new HttpClient();
        var simulation = new CallSimulation(http, TimeProvider.System, NullLogger<CallSimulation>.Instance);
        return await simulation.RunAsync(
            new CallSimulationOptions { WebhookUrl = webhookUrl, AuthToken = authToken, Media = media, LoopbackOnly = true, To = to },
            cancellationToken: cancellationToken);
    }

    /// <summary>One of the committed test utterances (tools/Bridge.CallSimulator/utterances), as 8 kHz µ-law.</summary>
    public static byte[] Utterance(string name) =>
        CallerAudioLoader.Load(WavFile.Read(Path.Combine(AppContext.BaseDirectory, "utterances", name + ".wav"))).MuLaw;

    public static byte[] Silence(TimeSpan duration) =>
        Enumerable.Repeat((byte)SilenceByte, (int)(duration.TotalSeconds * 8000)).ToArray();

    public static CallerAudio Saying(params byte[][] pieces) => CallerAudio.FromMuLaw([.. pieces.SelectMany(p => p)]);
}
