using Bridge.Audio;
using Bridge.MediaWorker.Agents;
using Bridge.NovaSonic;
using Bridge.TwilioMedia;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Builds a <see cref="BridgedCall"/> for an admitted stream and its open conversation, with what every call shares
/// (audio and call settings, telemetry, Twilio's REST API for the limits' hang-up, the clock): the host passes only
/// what is the call's own.
/// </summary>
public sealed class CallFactory(
    IOptions<AudioOptions> audio,
    IOptions<CallOptions> calls,
    TwilioCallControl twilio,
    CallTelemetry telemetry,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <param name="startedAt">When Twilio's <c>start</c> arrived (a timestamp of the clock): the call's limits count from it.</param>
    /// <param name="transcript">Where what is said is recorded, for a call whose operator asked for it (an outbound call's conversation callback).</param>
    internal BridgedCall Create(ITwilioMediaStream stream, TwilioStartInfo start, INovaConversation session, CallAgent agent, long startedAt, ConversationTranscript? transcript = null)
    {
        var logger = loggers.CreateLogger<BridgedCall>();
        var limits = new CallLimits(calls.Value, startedAt, time, token => twilio.HangUpAsync(start.CallSid, token), loggers.CreateLogger<CallLimits>(), agent.MaxDuration);
        return new BridgedCall(stream, start, session, agent.Tools, audio.Value, calls.Value, limits, telemetry, time, logger, transcript);
    }
}
