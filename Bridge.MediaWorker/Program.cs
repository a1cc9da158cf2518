using Bridge.MediaWorker;
using Bridge.MediaWorker.Calls;
using Bridge.Security.RateLimits;

// First, before anything rents from the shared array pool.
SharedArrayPoolSize.Apply();

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseTrustedForwardedHeaders();
app.UseClientRateLimits();
app.UseReadinessLifecycle();
app.UseWebSocketControlFrameLimit();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
app.MapDefaultEndpoints();
app.Map("/media", (HttpContext context, CallHost calls) => calls.HandleAsync(context))
    .RequireClientRateLimit(ClientRateLimit.MediaStreams);
app.MapCallEventFeed();

return app.RunOrReportBadConfiguration();
