using System.Net.WebSockets;
using Bridge.TwilioMedia;
using Bridge.Security.Refusals;

namespace Bridge.MediaWorker.Calls;

/// <summary>
/// How a media stream is turned away: an HTTP status before the upgrade, or a WebSocket close after it — each counted
/// in <c>bridge.calls.rejected</c> by reason and logged (every one at Debug, "Refused a media stream (reason): …",
/// and per reason at most one warning every 10 s, so that a flood does not flood the log).
/// </summary>
public sealed class MediaStreamRefusals(CallTelemetry telemetry, ILogger<CallHost> logger, TimeProvider time)
{
    /// <summary>1013 "Try Again Later": the worker is busy, not the stream wrong.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly RefusalLog _log = new("a media stream", logger, time);

    /// <summary>Answers the upgrade with <paramref name="status"/> and <paramref name="answer"/> (by default the logged detail).</summary>
    public async Task RefuseAsync(HttpContext context, int status, string reason, string detail, string? answer = null)
    {
        Count(reason, detail);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(answer ?? detail);
    }

    public async Task CloseAsync(TwilioMediaStream stream, string reason, WebSocketCloseStatus status, string detail)
    {
        Count(reason, detail);
        await stream.CloseAsync(status, detail, CancellationToken.None);
    }

    /// <summary>A stream that ended before it was a call, with nothing left to tell its peer (the socket is gone).</summary>
    public void Count(string reason, string detail)
    {
        telemetry.CallRefused(reason);
        _log.Refused(reason, detail);
    }
}
