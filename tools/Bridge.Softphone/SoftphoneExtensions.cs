using Bridge.Agents;
using Bridge.Softphone.Calls;
using Bridge.TwilioStandIn.Twilio;

namespace Bridge.Softphone;

internal static class SoftphoneExtensions
{
    public static void AddSoftphone(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SoftphoneOptions>(builder.Configuration, SoftphoneOptions.SectionName);
        builder.Services.AddValidatedOptions<Bridge.Security.TwilioOptions>(builder.Configuration, Bridge.Security.TwilioOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LiveCalls>();
        builder.Services.AddHostedService<RestApiHost>();
        builder.Services.AddTransient<BrowserCall>();
        builder.Services.AddSingleton<SoftphoneHttp>();
        // The same profiles as the api and the worker (the AppHost gives all three Agents:Source): the page offers their agents.
        builder.AddAgentProfiles();
    }

    /// <summary><c>GET /agents</c>: the agents a call can reach, each with the number that reaches it (none: no profiles).</summary>
    public static void MapAgents(this WebApplication app) =>
        app.MapGet("/agents", (AgentProfiles profiles) => Results.Ok(AgentChoice.From(profiles.Catalog)));

    /// <summary><c>GET /call?to=+1…</c>: a WebSocket that is one phone call for as long as it is open.</summary>
    public static void MapSoftphone(this WebApplication app) =>
        app.Map("/call", async (HttpContext context, BrowserCall call) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("A call is a WebSocket: open it from the softphone page.");
            }
            if (!IsSameOrigin(context.Request))
            {
                // A page from another site must not place calls through this one.
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            var to = context.Request.Query["to"].ToString();
            if (!BrowserCall.IsPhoneNumber(to))
            {
                return Results.BadRequest($"'{to}' is not a number to call (E.164, like +15005550006).");
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await call.RunAsync(socket, to, context.RequestAborted);
            return Results.Empty;
        });

    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin &&
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
