using Bridge.AppHost;

var builder = DistributedApplication.CreateBuilder(args).ReportShutdown();

// Twilio signs every webhook and WebSocket upgrade with the account's auth token. Locally a generated value
// (kept in the AppHost's user secrets) lets the call simulator sign as Twilio would.
var twilioAuthToken = builder.AddParameter(
    "twilio-auth-token",
    new GenerateParameterDefault { MinLength = 32, Special = false },
    secret: true,
    persist: true);

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
    .WithReference(mediaWorker)
    .WithTestCallCommand(twilioAuthToken);

if (publicBaseUrl is not null)
{
    mediaWorker.WithEnvironment("Bridge__PublicBaseUrl", publicBaseUrl);
    api.WithEnvironment("Bridge__PublicBaseUrl", publicBaseUrl);
}
else if (!builder.ExecutionContext.IsPublishMode)
{
    // Without a public URL only the call simulator can call in, so the worker's hang-ups and transfers go to the
    // REST API the simulator serves for its calls.
    mediaWorker.WithEnvironment("Twilio__Rest__BaseAddress", Bridge.CallSimulator.Twilio.TwilioCallsApi.DefaultAddress);
}

mediaWorker.WithTransferTarget(builder, callsComeFromTheSimulator: publicBaseUrl is null);

builder.Build().Run();
