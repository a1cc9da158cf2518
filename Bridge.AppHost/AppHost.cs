using Bridge.AppHost;

var builder = DistributedApplication.CreateBuilder(args).ReportShutdown();

// Twilio signs every webhook and WebSocket upgrade with the account's auth token. Locally generated values shaped
// like Twilio's (kept in the AppHost's user secrets) let the call simulator sign, and serve Twilio's REST API, as the
// same account the worker serves; a real number needs the real account's token and SID there instead.
var twilioAuthToken = builder.AddTwilioParameter("twilio-auth-token", prefix: "", secret: true);
var twilioAccountSid = builder.AddTwilioParameter("twilio-account-sid", prefix: "AC", secret: false);

var bedrockRegion = builder.AddParameter("bedrock-region", "us-east-1", publishValueAsDefault: true);
var bedrockModelId = builder.AddParameter("bedrock-model-id", "amazon.nova-2-sonic-v1:0", publishValueAsDefault: true);

// What Twilio dials. Required behind a load balancer; optional locally (then the services' own URLs are used).
var publicBaseUrl = builder.ExecutionContext.IsPublishMode ||
    !string.IsNullOrWhiteSpace(builder.Configuration["Parameters:public-base-url"])
        ? builder.AddParameter("public-base-url")
        : null;

// Aspire turns on ASP.NET's forwarded-headers switch in publish mode, which believes X-Forwarded-* from anyone.
// The services believe only loopback and Bridge:TrustedProxies instead.
const string ForwardedHeadersSwitch = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

var mediaWorker = builder.AddProject<Projects.Bridge_MediaWorker>("media-worker")
    .WithExternalHttpEndpoints()
    .WithEnvironment(ForwardedHeadersSwitch, "false")
    .WithHttpHealthCheck("/health/readiness")
    .AsLocalService()
    .WithEnvironment("Twilio__AuthToken", twilioAuthToken)
    .WithEnvironment("Twilio__AccountSid", twilioAccountSid)
    .WithEnvironment("Bedrock__Region", bedrockRegion)
    .WithEnvironment("Bedrock__ModelId", bedrockModelId);

if (builder.ShouldUseEmulator())
{
    mediaWorker.WithNovaEmulator(builder.AddNovaEmulator(bedrockRegion));
}

var api = builder.AddProject<Projects.Bridge_Api>("api")
    .WithExternalHttpEndpoints()
    .WithEnvironment(ForwardedHeadersSwitch, "false")
    .WithHttpHealthCheck("/health/readiness")
    .AsLocalService()
    .WithEnvironment("Twilio__AuthToken", twilioAuthToken)
    .WithEnvironment("Twilio__AccountSid", twilioAccountSid)
    .WithReference(mediaWorker);
var outbound = api.WithOutboundCalls(builder);
// The worker signs the conversation callback of an outbound call with the same secret (docs/outbound.md).
mediaWorker.WithEnvironment("Outbound__CallbackSecret", outbound.CallbackSecret);

if (publicBaseUrl is not null)
{
    mediaWorker.WithEnvironment("Bridge__PublicBaseUrl", publicBaseUrl);
    api.WithEnvironment("Bridge__PublicBaseUrl", publicBaseUrl);
    if (!builder.ExecutionContext.IsPublishMode)
    {
        // The worker confirms every stream with the real Twilio, which knows only real calls: the softphone's and the
        // dashboard's test calls would be refused, so a real phone is the way in and neither is offered.
        builder.AddSampleAgents(api, mediaWorker, outbound.CallbackSecret);
    }
}
else if (!builder.ExecutionContext.IsPublishMode)
{
    // Without a public URL only the softphone and the call simulator can call in, so the worker confirms its calls, and
    // hangs up and transfers them, through the REST API they serve for their calls: the same path as with Twilio.
    mediaWorker.WithEnvironment("Twilio__Rest__BaseAddress", CallSimulatorRestApi(builder).ToString())
        .WithEnvironment("Twilio__Rest__ConfirmCalls", "true");
    // The api places outbound calls there too: the simulator answers them as a person or a voicemail.
    api.WithEnvironment("Twilio__Rest__BaseAddress", CallSimulatorRestApi(builder).ToString())
        .WithTestCallCommand(twilioAuthToken, twilioAccountSid, CallSimulatorRestApi(builder))
        .WithOutboundTestCallCommands(outbound, twilioAuthToken, twilioAccountSid, CallSimulatorRestApi(builder));
    var softphone = builder.AddSoftphone(api, mediaWorker, twilioAuthToken, twilioAccountSid, CallSimulatorRestApi(builder));
    builder.AddSampleAgents(api, mediaWorker, outbound.CallbackSecret, softphone);
}

mediaWorker.WithTransferTarget(builder, callsComeFromTheSimulator: publicBaseUrl is null);

builder.Build().Run();

// Where the call simulator serves Twilio's REST API for its calls (bridge-call's --rest-api default; CallSimulator:RestApi overrides).
static Uri CallSimulatorRestApi(IDistributedApplicationBuilder builder) =>
    new(builder.Configuration["CallSimulator:RestApi"] ?? Bridge.TwilioStandIn.Twilio.TwilioCallsApi.DefaultAddress);
