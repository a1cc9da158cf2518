using Bridge.Buffers;
using Bridge.MediaWorker.Calls;
using Bridge.TwilioMedia;
using Bridge.Security.RateLimits;
using Bridge.Security.Refusals;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Bridge.MediaWorker.WebSockets;

/// <summary>
/// Puts every WebSocket this worker accepts under a bound on control frames (<c>Twilio:MediaStream:ControlFramesPerSecond</c>,
/// <c>ControlFrameBurst</c>) and on message fragments (<c>FragmentsPerSecond</c>, <c>FragmentBurst</c>): the upgrade features
/// are replaced, before <c>UseWebSockets</c>, by ones whose connection stream counts the frames going by. A flood aborts
/// that one connection, counted in <c>bridge.limits.reached{limit=control-frames|fragments}</c> and logged (a warning
/// at most every 10 s). The stream handed to
/// the WebSocket is a <see cref="CoalescingStream"/> too, set as a feature of the request, so that the media stream can
/// send a tick's frames in one write.
/// </summary>
public sealed class ControlFrameLimitMiddleware(
    RequestDelegate next,
    IOptions<TwilioStreamOptions> options,
    CallTelemetry telemetry,
    TimeProvider time,
    ILogger<ControlFrameLimitMiddleware> logger)
{
    public const string Limit = ControlFrameLimitStream.ControlFrames;

    private readonly RefusalLog _log = new("a WebSocket", logger, time);

    public Task InvokeAsync(HttpContext context)
    {
        var features = context.Features;
        if (features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            features.Set<IHttpUpgradeFeature>(new LimitedUpgrade(upgrade, () => Watch(context, upgrade.UpgradeAsync)));
        }
        if (features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            features.Set<IHttpExtendedConnectFeature>(new LimitedExtendedConnect(connect, () => Watch(context, () => connect.AcceptAsync().AsTask())));
        }
        return next(context);
    }

    private async Task<Stream> Watch(HttpContext context, Func<Task<Stream>> accept)
    {
        var stream = await accept();
        var settings = options.Value;
        var connection = new CoalescingStream(new ControlFrameLimitStream(
            stream,
            new FrameBudget(settings.ControlFramesPerSecond, settings.ControlFrameBurst),
            new FrameBudget(settings.FragmentsPerSecond, settings.FragmentBurst),
            time,
            limit =>
            {
                telemetry.LimitReached(limit);
                var kind = limit == Limit ? "ping/pong/close frames" : "message fragments";
                _log.Refused(limit, $"a flood of {kind} from {ClientAddress.PartitionKey(context.Connection.RemoteIpAddress)}: connection aborted");
                context.Abort();
            }));
        context.Features.Set(connection);
        return connection;
    }

    private sealed class LimitedUpgrade(IHttpUpgradeFeature inner, Func<Task<Stream>> upgrade) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public Task<Stream> UpgradeAsync() => upgrade();
    }

    private sealed class LimitedExtendedConnect(IHttpExtendedConnectFeature inner, Func<Task<Stream>> accept) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public ValueTask<Stream> AcceptAsync() => new(accept());
    }
}
