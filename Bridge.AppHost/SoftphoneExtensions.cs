namespace Bridge.AppHost;

/// <summary>
/// The softphone (tools/Bridge.Softphone) in local runs: a page where a person calls the agent with the browser's
/// microphone and speakers, through a Twilio stand-in that calls the api's webhook and streams to the media worker
/// exactly as Twilio would. It serves Twilio's REST API for its calls where a local worker sends hang-ups and
/// transfers, and reads the transcript from the worker's Development call event feed, which is turned on here and
/// only here. Never part of the published manifest.
/// </summary>
internal static class SoftphoneExtensions
{
    public const string ResourceName = "softphone";

    public static IResourceBuilder<ProjectResource> AddSoftphone(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> api,
        IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<ParameterResource> authToken,
        IResourceBuilder<ParameterResource> accountSid,
        Uri restApi)
    {
        var webhook = ReferenceExpression.Create($"{api.GetEndpoint("http")}/webhook");

        // What the caller says and hears of the call stays on this machine: the feed exists only in Development.
        worker.WithEnvironment("Development__CallEvents", "true");

        return builder.AddProject<Projects.Bridge_Softphone>(ResourceName)
            .AsLocalService()
            .WithHttpHealthCheck("/health/readiness")
            .WithUrlForEndpoint("http", url => url.DisplayText = "Softphone")
            .WithEnvironment("Twilio__AuthToken", authToken)
            .WithEnvironment("Twilio__AccountSid", accountSid)
            .WithEnvironment("Softphone__WebhookUrl", webhook)
            .WithEnvironment("Softphone__CallEventsUrl", worker.GetEndpoint("http"))
            .WithEnvironment("Softphone__RestApi", restApi.ToString())
            .WaitFor(api)
            .WaitFor(worker)
            .ExcludeFromManifest();
    }
}
