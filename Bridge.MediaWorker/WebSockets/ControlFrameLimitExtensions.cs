using Bridge.MediaWorker.WebSockets;

namespace Microsoft.AspNetCore.Builder;

public static class ControlFrameLimitExtensions
{
    /// <summary>Bounds the control frames of every WebSocket accepted after it. Call before <c>UseWebSockets</c>.</summary>
    public static WebApplication UseWebSocketControlFrameLimit(this WebApplication app)
    {
        app.UseMiddleware<ControlFrameLimitMiddleware>();
        return app;
    }
}
