using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.HttpTools;
using Bridge.TwilioStandIn.Calls;
using Bridge.TwilioStandIn.Outbound;
using Bridge.TwilioStandIn.Twilio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.AppHost;

/// <summary>
/// Dashboard commands on the api that place an outbound call through the product's own <c>POST /calls</c> (with the
/// local API key) to the call simulator's person or voicemail, and report the outcome the api sends to the operator's
/// callback — received here on a loopback port, its signature checked with the callback secret. Twilio's REST API is
/// the simulator's: whichever stand-in holds its address (the softphone, a <c>bridge-call</c>, or this command) places the call.
/// </summary>
internal static class OutboundTestCallCommand
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    public static IResourceBuilder<ProjectResource> WithOutboundTestCallCommands(
        this IResourceBuilder<ProjectResource> api,
        OutboundExtensions.Settings outbound,
        IResourceBuilder<ParameterResource> authToken,
        IResourceBuilder<ParameterResource> accountSid,
        Uri twilioApi)
    {
        foreach (var (name, display, to) in new[]
        {
            ("place-outbound-call", "Place an outbound test call", OutboundExtensions.PersonNumber),
            ("place-outbound-call-voicemail", "Place an outbound test call to a voicemail", OutboundExtensions.VoicemailNumber),
        })
        {
            api.WithCommand(
                name: name,
                displayName: display,
                executeCommand: context => PlaceAsync(context, api.GetEndpoint("http"), outbound, authToken.Resource, accountSid.Resource, twilioApi, to),
                commandOptions: new CommandOptions
                {
                    Description = $"POST /calls to {to} with the reminders agent, and reports the outcome the api calls back with.",
                    IconName = "CallOutbound",
                    UpdateState = context => context.ResourceSnapshot.HealthStatus is Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
                        ? ResourceCommandState.Enabled
                        : ResourceCommandState.Disabled,
                });
        }
        return api;
    }

    private static async Task<ExecuteCommandResult> PlaceAsync(
        ExecuteCommandContext context, EndpointReference api, OutboundExtensions.Settings outbound,
        ParameterResource authToken, ParameterResource accountSid, Uri twilioApiAddress, string to)
    {
        var cancellationToken = context.CancellationToken;
        var logger = context.Services.GetRequiredService<ILoggerFactory>().CreateLogger<CallSimulation>();
        var key = await outbound.ApiKey.Resource.GetValueAsync(cancellationToken) ?? "";
        var secret = await outbound.CallbackSecret.Resource.GetValueAsync(cancellationToken) ?? "";
        var token = await authToken.GetValueAsync(cancellationToken) ?? "";
        var account = await accountSid.GetValueAsync(cancellationToken) ?? "";

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var liveCalls = new LiveCalls();
        await using var callee = new OutboundCalls(account, token, http, liveCalls, TimeProvider.System, logger);
        await using var twilioApi = await TryServeAsync(twilioApiAddress, liveCalls, callee, logger, cancellationToken);
        await using var callback = await CallbackReceiver.StartAsync(secret, cancellationToken);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(api.Url), "/calls"))
        {
            Content = JsonContent.Create(new
            {
                to,
                from = OutboundExtensions.LocalCallerIds[0],
                agent = "reminders",
                variables = new Dictionary<string, string> { ["patientName"] = "Ana", ["appointment"] = "on Tuesday at 3 pm" },
                statusCallback = callback.Url.ToString(),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var placed = await http.SendAsync(request, cancellationToken);
        var answer = await placed.Content.ReadAsStringAsync(cancellationToken);
        if (!placed.IsSuccessStatusCode)
        {
            return new ExecuteCommandResult { Success = false, Message = $"POST /calls answered {(int)placed.StatusCode}: {answer}" };
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(Wait);
        try
        {
            using var outcome = JsonDocument.Parse(await callback.Received.WaitAsync(wait.Token));
            var root = outcome.RootElement;
            return new ExecuteCommandResult
            {
                Success = true,
                Message = $"Call {root.GetProperty("callSid").GetString()}: {root.GetProperty("outcome").GetString()}. {root.GetProperty("summary").GetString()}",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ExecuteCommandResult { Success = false, Message = $"Placed ({answer}), but no outcome arrived within {Wait.TotalMinutes:0} minutes." };
        }
    }

    private static async Task<TwilioCallsApi?> TryServeAsync(Uri address, LiveCalls liveCalls, OutboundCalls callee, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await TwilioCallsApi.ServeOrShareAsync(address, liveCalls, cancellationToken, callee);
        }
        catch (IOException e)
        {
            logger.LogWarning("Twilio's REST API cannot be served at {Address}: {Reason}", address, e.Message);
            return null;
        }
    }

    /// <summary>The operator's side: a loopback endpoint that takes one signed outcome.</summary>
    private sealed class CallbackReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource<string> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private CallbackReceiver(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public Task<string> Received => _received.Task;

        public static async Task<CallbackReceiver> StartAsync(string secret, CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new CallbackReceiver(app);
            app.MapPost("/outcome", async (HttpRequest request) =>
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                var body = buffer.ToArray();
                if (!ToolRequestSigner.Verify(System.Text.Encoding.UTF8.GetBytes(secret), request.Headers[ToolRequestSigner.TimestampHeader],
                        request.Headers[ToolRequestSigner.SignatureHeader], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)))
                {
                    return Results.Unauthorized();
                }
                receiver._received.TrySetResult(System.Text.Encoding.UTF8.GetString(body));
                return Results.NoContent();
            });
            await app.StartAsync(cancellationToken);
            receiver.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/outcome");
            return receiver;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
